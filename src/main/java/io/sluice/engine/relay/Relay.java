package io.sluice.engine.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import io.sluice.engine.config.EngineConfig;
import io.sluice.engine.net.ReadCounter;
import io.sluice.engine.session.ProxySession;
import io.sluice.engine.session.ReadGate;
import java.util.concurrent.TimeUnit;

/**
 * Joins a client channel and an upstream channel into a byte relay: both ends on the same event
 * loop, backpressure through writability, bandwidth shaping through the user's buckets, half close
 * on EOF, close when both directions are done or the session is idle.
 *
 * <p>With {@link EngineConfig#splice()}, a direction without shaping between two epoll sockets that
 * hold only the relay moves its bytes with splice(2) (Netty's {@code spliceTo}) instead of copying
 * them through buffers, once it has carried {@link EngineConfig#spliceAfterBytes()} (a short
 * exchange never pays for a pipe); see {@link RelayHandler}.
 */
public final class Relay {

  /** Name of the relay handler in both pipelines. */
  public static final String NAME = "relay";

  /** Name of the session's idle timer (client pipeline only). */
  public static final String IDLE = "relay-idle";

  private final ProxySession session;
  private final String connectionId;
  private final long idleNanos;
  private boolean clientInputDone;
  private boolean upstreamInputDone;
  private ReadCounter splicedUp;
  private ReadCounter splicedDown;
  private RelayHandler up;
  private RelayHandler down;

  private Relay(ProxySession session, String connectionId, long idleNanos) {
    this.session = session;
    this.connectionId = connectionId;
    this.idleNanos = idleNanos;
  }

  /**
   * Starts relaying. Both pipelines must be free of protocol handlers (the caller removed its
   * codecs); must be called on the event loop shared by both channels.
   */
  public static void start(
      ProxySession session, Channel client, Channel upstream, EngineConfig config) {
    long idleMs = config.idleTimeout().toMillis();
    Relay relay =
        new Relay(
            session, session.connection().connectionId(), TimeUnit.MILLISECONDS.toNanos(idleMs));
    client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    ReadGate clientGate = new ReadGate(client, ReadGate.SETUP);
    ReadGate upstreamGate = new ReadGate(upstream, ReadGate.SETUP);
    // One idle timer per session, on the client channel: it reads everything that goes up and
    // writes everything that comes down, so "no read and no write" there is "no traffic either
    // way". (A second timer on the upstream channel would only cost memory per idle tunnel.)
    client.pipeline().addLast(IDLE, new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS));
    RelayHandler up =
        new RelayHandler(relay, true, upstream, clientGate, upstreamGate, session.allowance().up());
    RelayHandler down =
        new RelayHandler(
            relay, false, client, upstreamGate, clientGate, session.allowance().down());
    relay.up = up;
    relay.down = down;
    client.pipeline().addLast(NAME, up);
    upstream.pipeline().addLast(NAME, down);
    clientGate.resume(ReadGate.SETUP);
    upstreamGate.resume(ReadGate.SETUP);
    if (config.splice() && config.spliceAfterBytes() > 0) {
      // each direction copies its first bytes and splices once it has carried more
      up.spliceAfter(config.spliceAfterBytes());
      down.spliceAfter(config.spliceAfterBytes());
    } else if (config.splice()) {
      // after what the caller still passes through the pipelines (a removed decoder's leftover
      // bytes): those are copied and counted as before
      client
          .eventLoop()
          .execute(() -> {
            up.trySplice();
            down.trySplice();
          });
    }
  }

  /** Records that one direction splices, counted by {@code counter}. */
  void spliced(boolean clientSide, ReadCounter counter) {
    if (clientSide) {
      splicedUp = counter;
    } else {
      splicedDown = counter;
    }
  }

  /**
   * True when a spliced direction read within the idle timeout: spliced bytes pass no handler, so
   * the idle timer does not see them.
   */
  boolean splicedRecently() {
    long now = System.nanoTime();
    return (splicedUp != null && now - splicedUp.lastReadNanos() < idleNanos)
        || (splicedDown != null && now - splicedDown.lastReadNanos() < idleNanos);
  }

  ProxySession session() {
    return session;
  }

  String connectionId() {
    return connectionId;
  }

  /** The handler of the other direction (the one that reads the channel this one writes to). */
  RelayHandler opposite(boolean clientSide) {
    return clientSide ? down : up;
  }

  /** Records EOF of one side; true when both directions are done. */
  boolean inputDone(boolean clientSide) {
    if (clientSide) {
      clientInputDone = true;
    } else {
      upstreamInputDone = true;
    }
    return clientInputDone && upstreamInputDone;
  }
}
