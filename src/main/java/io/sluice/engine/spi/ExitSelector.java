package io.sluice.engine.spi;

/**
 * How does this session leave? Called after authentication and the destination policy, before
 * the engine connects. The exit-pool issue replaces the default (direct) implementation.
 */
public interface ExitSelector {

  ExitRoute select(ProxyPrincipal principal, ConnectionInfo connection, Destination destination);

  /** Report the outcome of using a route, so selectors can track failures and latency. */
  default void report(ExitRoute route, boolean success, long connectNanos) {}

  static ExitSelector direct() {
    return (p, c, d) -> ExitRoute.direct();
  }
}
