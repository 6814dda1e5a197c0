package io.sluice.engine.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import io.sluice.engine.session.ProxySession;
import io.sluice.engine.session.ReadGate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Joins a client channel and an upstream channel into a byte relay: both ends on the same event
 * loop, backpressure through writability, bandwidth shaping through the user's buckets, half close
 * on EOF, close when both directions are done or the session is idle.
 */
public final class Relay {

  /** Name of the relay handler in both pipelines. */
  public static final String NAME = "relay";

  /** Name of the session's idle timer (client pipeline only). */
  public static final String IDLE = "relay-idle";

  private final ProxySession session;
  private final String connectionId;
  private boolean clientInputDone;
  private boolean upstreamInputDone;

  private Relay(ProxySession session, String connectionId) {
    this.session = session;
    this.connectionId = connectionId;
  }

  /**
   * Starts relaying. Both pipelines must be free of protocol handlers (the caller removed its
   * codecs); must be called on the event loop shared by both channels.
   */
  public static void start(ProxySession session, Channel client, Channel upstream, Duration idle) {
    Relay relay = new Relay(session, session.connection().connectionId());
    client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    ReadGate clientGate = new ReadGate(client, ReadGate.SETUP);
    ReadGate upstreamGate = new ReadGate(upstream, ReadGate.SETUP);
    long idleMs = idle.toMillis();
    // One idle timer per session, on the client channel: it reads everything that goes up and
    // writes everything that comes down, so "no read and no write" there is "no traffic either
    // way". (A second timer on the upstream channel would only cost memory per idle tunnel.)
    client.pipeline().addLast(IDLE, new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS));
    client
        .pipeline()
        .addLast(
            NAME,
            new RelayHandler(
                relay, true, upstream, clientGate, upstreamGate, session.allowance().up()));
    upstream
        .pipeline()
        .addLast(
            NAME,
            new RelayHandler(
                relay, false, client, upstreamGate, clientGate, session.allowance().down()));
    clientGate.resume(ReadGate.SETUP);
    upstreamGate.resume(ReadGate.SETUP);
  }

  ProxySession session() {
    return session;
  }

  String connectionId() {
    return connectionId;
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
