package io.sluice.engine.spi;

import java.util.Set;

/**
 * How does this session leave? Called after authentication and the destination policy, before the
 * engine connects. The exit-pool issue replaces the default (direct) implementation.
 *
 * <p><b>Failover.</b> The engine first calls {@link #select(ProxyPrincipal, ConnectionInfo,
 * Destination, Set)} with an empty set. When connecting through the returned route fails, it
 * {@linkplain #report reports} the failure and asks again with the ids of every route that failed
 * so far, up to {@code EngineConfig.exitRetries} more times. A route whose id is already excluded,
 * or {@code null}, means "no (further) exit": the client then gets the failure of the last attempt,
 * or, when there was no attempt at all, SOCKS5 REP X'01' (general failure), SOCKS4 X'5B' or HTTP
 * {@code 503 Service Unavailable}.
 *
 * <p>Called on event-loop threads: implementations must not block.
 */
public interface ExitSelector {

  /** The route for a session; {@code null} when no exit is available. */
  ExitRoute select(ProxyPrincipal principal, ConnectionInfo connection, Destination destination);

  /**
   * The route for a session, avoiding the exits in {@code excludedExitIds} (those that already
   * failed for this session). The default asks {@link #select(ProxyPrincipal, ConnectionInfo,
   * Destination)} and returns {@code null} when that route is excluded, so selectors that know
   * nothing of failover keep working (one attempt, as before).
   *
   * @param excludedExitIds ids ({@link ExitRoute#id()}) of routes not to return; unmodifiable
   */
  default ExitRoute select(
      ProxyPrincipal principal,
      ConnectionInfo connection,
      Destination destination,
      Set<String> excludedExitIds) {
    ExitRoute route = select(principal, connection, destination);
    return route != null && excludedExitIds.contains(route.id()) ? null : route;
  }

  /**
   * Report the outcome of using a route, so selectors can track failures and latency. Called once
   * per connect attempt: {@code success} false with the time until the failure, or true with the
   * connect latency (through an upstream proxy: until its CONNECT reply).
   */
  default void report(ExitRoute route, boolean success, long connectNanos) {}

  static ExitSelector direct() {
    return (p, c, d) -> ExitRoute.direct();
  }
}
