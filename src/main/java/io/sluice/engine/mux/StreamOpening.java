package io.sluice.engine.mux;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.tunnel.Frame;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The open handshake of one tunnel-port stream, for the {@link TunnelPortHandler} that drives the
 * stream: asks the {@link TunnelRouter} (a router that throws refuses the connection), runs the
 * open timeout, keeps the key of an OPEN_DIRECT offer until the stream ends, names the agent's
 * OPEN_FAIL reason codes and logs how the open went. It holds no stream state of its own; the
 * handler decides what each outcome does. Confined to the client connection's event loop, like its
 * handler, and logs under the handler's logger name.
 */
final class StreamOpening {

  private static final Logger LOG = System.getLogger(TunnelPortHandler.class.getName());

  private final ConnectionInfo info;
  private final Supplier<TunnelRouter> router;
  private final Duration timeout;
  private ScheduledFuture<?> timer;
  private DirectStreams offerStreams;
  private byte[] offerKey;

  StreamOpening(ConnectionInfo info, Supplier<TunnelRouter> router, Duration timeout) {
    this.info = info;
    this.router = router;
    this.timeout = timeout;
  }

  /** The router's decision for the connection: where to relay it, or null (logged) if refused. */
  TunnelRoute.Relay route() {
    TunnelRoute decision;
    try {
      decision = router.get().route(info);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "[" + info.connectionId() + "] tunnel routing failed", e);
      decision = new TunnelRoute.Refuse("error");
    }
    if (decision instanceof TunnelRoute.Refuse refuse) {
      LOG.log(
          Level.DEBUG,
          "[{0}] tunnel connection from {1} on {2} refused: {3}",
          info.connectionId(),
          info.client(),
          info.listener(),
          refuse.reason());
      return null;
    }
    return (TunnelRoute.Relay) decision;
  }

  /**
   * Stream {@code id} was opened in the mux: starts the open timeout, after which {@code onTimeout}
   * runs on {@code loop} unless {@link #cancelTimer} came first.
   */
  void started(EventExecutor loop, TunnelRoute.Relay route, long id, Runnable onTimeout) {
    timer = loop.schedule(onTimeout, timeout.toMillis(), TimeUnit.MILLISECONDS);
    LOG.log(
        Level.DEBUG,
        "[{0}] tunnel stream {1} of agent {2} opening to {3}:{4}",
        info.connectionId(),
        id,
        route.mux().agentId(),
        route.host(),
        route.port());
  }

  /** Stops the open timeout, if it is running. */
  void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** The stream was offered as direct: its key is registered in {@code streams}. */
  void offeredDirect(DirectStreams streams, byte[] key) {
    this.offerStreams = streams;
    this.offerKey = key;
  }

  /** The stream ended: stops the open timeout and drops a direct key not yet claimed. */
  void ended(TunnelPortHandler stream) {
    cancelTimer();
    if (offerStreams != null) {
      offerStreams.forget(offerKey, stream);
    }
  }

  /** The agent answered OPEN_FAIL: logs it and returns the reason's name. */
  String failed(TunnelRoute.Relay route, long id, Frame.OpenFail fail) {
    String reason = openFailReason(fail.reason());
    LOG.log(
        Level.DEBUG,
        "[{0}] tunnel stream {1}: agent could not open {2}:{3}: {4} {5}",
        info.connectionId(),
        id,
        route.host(),
        route.port(),
        reason,
        fail.message());
    return reason;
  }

  /** The agent's data connection from {@code peer} arrived in time: the stream is direct. */
  void wentDirect(TunnelRoute.Relay route, long id, SocketAddress peer) {
    LOG.log(
        Level.DEBUG,
        "[{0}] tunnel stream {1} of agent {2} direct over {3}",
        info.connectionId(),
        id,
        route.mux().agentId(),
        peer);
  }

  /** The agent's data connection arrived after the stream stopped opening. */
  void lateDirect(long id) {
    LOG.log(
        Level.DEBUG,
        "[{0}] tunnel stream {1}: late data connection closed",
        info.connectionId(),
        id);
  }

  static String openFailReason(int code) {
    return switch (code) {
      case Frame.OpenFail.NOT_ALLOWED -> "not_allowed";
      case Frame.OpenFail.UNREACHABLE -> "unreachable";
      case Frame.OpenFail.REFUSED -> "refused";
      case Frame.OpenFail.TIMEOUT -> "timeout";
      default -> "general";
    };
  }
}
