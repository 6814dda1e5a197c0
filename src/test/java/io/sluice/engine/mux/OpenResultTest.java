package io.sluice.engine.mux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.tunnel.DecodeResult;
import io.sluice.engine.tunnel.Frame;
import io.sluice.engine.tunnel.FrameCodec;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link TunnelMux#open}'s result type, and how a tunnel port reacts to each refusal. */
class OpenResultTest {

  private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_PAYLOAD);
  private final List<Frame> sent = new CopyOnWriteArrayList<>();
  private final List<String> closes = new CopyOnWriteArrayList<>();
  private final List<String> openFailed = new CopyOnWriteArrayList<>();
  private final List<String> ended = new CopyOnWriteArrayList<>();
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  private final TunnelMux.FrameSink sink =
      new TunnelMux.FrameSink() {
        @Override
        public void send(ByteBuffer encodedFrame) {
          if (codec.decode(encodedFrame, true) instanceof DecodeResult.Ok ok) {
            sent.add(ok.frame());
          }
        }

        @Override
        public void close(int code, String reason) {
          closes.add(code + " " + reason);
        }
      };

  private final StreamObserver observer =
      new StreamObserver() {
        @Override
        public void openFailed(String reason) {
          openFailed.add(reason);
        }

        @Override
        public void ended(String error) {
          ended.add(String.valueOf(error));
        }
      };

  @AfterEach
  void close() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  /** A connection accepted on a tunnel port routed to {@code mux}; returns the channel. */
  private EmbeddedChannel accept(TunnelMux mux) throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel(false, false);
    channels.add(ch);
    ConnectionInfo info =
        new ConnectionInfo(
            "c" + channels.size(),
            new InetSocketAddress("127.0.0.1", 40000),
            "t",
            new InetSocketAddress("127.0.0.1", 1));
    TunnelRouter router = c -> new TunnelRoute.Relay(mux, "target", 7, null, null, observer);
    TunnelPortHandler.install(
        ch, info, () -> router, Duration.ofSeconds(30), Duration.ofMinutes(1));
    ch.register();
    return ch;
  }

  @Test
  void openedCarriesOddIncreasingIds() throws Exception {
    TunnelMux mux = new TunnelMux(1, sink, 65536, FrameCodec.DEFAULT_MAX_PAYLOAD, 4);
    TunnelPortHandler stream =
        (TunnelPortHandler) accept(mux).pipeline().get(TunnelPortHandler.NAME);
    assertThat(sent).singleElement().isEqualTo(new Frame.Open(1, "target", 7));
    assertThat(mux.open(stream, "a", 1)).isEqualTo(new OpenResult.Opened(3));
    assertThat(mux.open(stream, "b", 2)).isEqualTo(new OpenResult.Opened(5));
    assertThat(mux.activeStreams()).isEqualTo(3);
    assertThat(openFailed).isEmpty();
  }

  @Test
  void tooManyStreamsIsRefusedAsAgentBusy() throws Exception {
    TunnelMux mux = new TunnelMux(1, sink, 65536, FrameCodec.DEFAULT_MAX_PAYLOAD, 1);
    EmbeddedChannel first = accept(mux);
    TunnelPortHandler stream = (TunnelPortHandler) first.pipeline().get(TunnelPortHandler.NAME);
    assertThat(mux.open(stream, "a", 1))
        .isEqualTo(new OpenResult.Refused(OpenResult.Reason.TOO_MANY_STREAMS));

    EmbeddedChannel second = accept(mux);
    assertThat(second.isActive()).isFalse();
    assertThat(openFailed).containsExactly("agent_busy");
    assertThat(ended).containsExactly("agent_busy");
    assertThat(sent).hasSize(1); // only the first stream's OPEN
  }

  @Test
  void closedConnectionIsRefusedAsAgentOffline() throws Exception {
    TunnelMux mux = new TunnelMux(1, sink, 65536, FrameCodec.DEFAULT_MAX_PAYLOAD, 4);
    mux.connectionClosed();
    EmbeddedChannel ch = accept(mux);
    TunnelPortHandler stream = (TunnelPortHandler) ch.pipeline().get(TunnelPortHandler.NAME);
    assertThat(ch.isActive()).isFalse();
    assertThat(openFailed).containsExactly("agent_offline");
    assertThat(mux.open(stream, "a", 1)).isSameAs(OpenResult.Reason.CONNECTION_CLOSED.refused());
    assertThat(sent).isEmpty();
  }

  @Test
  void reasonsHaveTheObserverLabels() {
    assertThat(OpenResult.Reason.CONNECTION_CLOSED.label()).isEqualTo("agent_offline");
    assertThat(OpenResult.Reason.IDS_EXHAUSTED.label()).isEqualTo("agent_offline");
    assertThat(OpenResult.Reason.TOO_MANY_STREAMS.label()).isEqualTo("agent_busy");
    for (OpenResult.Reason r : OpenResult.Reason.values()) {
      assertThat(r.refused().reason()).isSameAs(r);
    }
  }

  @Test
  void openedRejectsIdsTheProtocolNeverUses() {
    assertThatThrownBy(() -> new OpenResult.Opened(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OpenResult.Opened(2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OpenResult.Refused(null)).isInstanceOf(NullPointerException.class);
  }
}
