package io.sluice.engine.mux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.tunnel.Frame;
import io.sluice.engine.tunnel.FrameCodec;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The open handshake's bookkeeping of a tunnel-port stream. */
class StreamOpeningTest {

  private static final ConnectionInfo INFO =
      new ConnectionInfo(
          "c1",
          new InetSocketAddress("127.0.0.1", 40000),
          "t",
          new InetSocketAddress("127.0.0.1", 1));

  private static final TunnelMux.FrameSink SINK =
      new TunnelMux.FrameSink() {
        @Override
        public void send(ByteBuffer encodedFrame) {}

        @Override
        public void close(int code, String reason) {}
      };

  private static StreamOpening opening(TunnelRouter router) {
    return new StreamOpening(INFO, () -> router, Duration.ofSeconds(5));
  }

  private static TunnelRoute.Relay relay() {
    TunnelMux mux = new TunnelMux(1, SINK, 65536, FrameCodec.DEFAULT_MAX_PAYLOAD, 4);
    return new TunnelRoute.Relay(mux, "target", 7, null, null, new StreamObserver() {});
  }

  @Test
  void aRelayIsReturnedAndARefusalOrAFailingRouterIsNull() {
    TunnelRoute.Relay relay = relay();
    assertThat(opening(c -> relay).route()).isSameAs(relay);
    assertThat(opening(TunnelRouter.NONE).route()).isNull();
    assertThat(
            opening(
                    c -> {
                      throw new IllegalStateException("boom");
                    })
                .route())
        .isNull();
  }

  @Test
  void theTimeoutFiresUnlessCancelledOrEnded() {
    EmbeddedChannel ch = new EmbeddedChannel();
    AtomicInteger fired = new AtomicInteger();
    StreamOpening o = opening(c -> relay());
    o.started(ch.eventLoop(), relay(), 1, fired::incrementAndGet);
    o.cancelTimer();
    o.cancelTimer(); // idempotent
    ch.advanceTimeBy(6, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(fired).hasValue(0);

    o.started(ch.eventLoop(), relay(), 3, fired::incrementAndGet);
    ch.advanceTimeBy(6, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(fired).hasValue(1);
    ch.finishAndReleaseAll();
  }

  @Test
  void openFailCodesHaveNames() {
    StreamOpening o = opening(TunnelRouter.NONE);
    assertThat(o.failed(relay(), 1, new Frame.OpenFail(1, Frame.OpenFail.NOT_ALLOWED, "")))
        .isEqualTo("not_allowed");
    assertThat(StreamOpening.openFailReason(Frame.OpenFail.UNREACHABLE)).isEqualTo("unreachable");
    assertThat(StreamOpening.openFailReason(Frame.OpenFail.REFUSED)).isEqualTo("refused");
    assertThat(StreamOpening.openFailReason(Frame.OpenFail.TIMEOUT)).isEqualTo("timeout");
    assertThat(StreamOpening.openFailReason(Frame.OpenFail.GENERAL)).isEqualTo("general");
  }
}
