package io.sluice.engine.exit;

/**
 * Why a session could not be established. Each front end maps it to its reply: SOCKS5 REP codes
 * (RFC 1928 section 6), SOCKS4 CD X'5B', HTTP status.
 */
public enum FailureKind {
  /** User over a limit (concurrency or session rate). SOCKS5 X'02', HTTP 429. */
  LIMIT,
  /** Destination policy denied an address. SOCKS5 X'02', HTTP 403. */
  DENIED,
  /** Name does not resolve or is invalid. SOCKS5 X'04', HTTP 502. */
  UNRESOLVABLE,
  /** Connection refused. SOCKS5 X'05', HTTP 502. */
  REFUSED,
  /** No route to host. SOCKS5 X'04', HTTP 502. */
  HOST_UNREACHABLE,
  /** Network unreachable. SOCKS5 X'03', HTTP 502. */
  NETWORK_UNREACHABLE,
  /** Connect timed out. SOCKS5 X'04' (host unreachable), HTTP 504. */
  TIMEOUT,
  /**
   * The upstream proxy of an exit could not be reached (connection refused, timeout, no route) or
   * broke its handshake (closed, malformed reply). The destination was never tried: SOCKS5 X'01',
   * HTTP 502.
   */
  EXIT_UNREACHABLE,
  /**
   * The upstream proxy refused Sluice's credentials for the exit (RFC 1929 status not zero, no
   * acceptable method, HTTP 407). Not the client's fault, so not 407: SOCKS5 X'01', HTTP 502.
   */
  EXIT_AUTH,
  /** The exit selector has no exit for the session. SOCKS5 X'01', HTTP 503. */
  NO_EXIT,
  /** Anything else. SOCKS5 X'01', HTTP 502. */
  GENERAL;

  /**
   * Classifies a connect failure: the kind of an {@link ExitFailureException} in the cause chain
   * (upstream connectors), else from the socket layer.
   */
  public static FailureKind ofConnectError(Throwable t) {
    for (Throwable e = t; e != null; e = e.getCause()) {
      if (e instanceof ExitFailureException x) {
        return x.kind();
      }
    }
    Throwable c = t;
    while (c != null) {
      if (c instanceof io.netty.channel.ConnectTimeoutException
          || c instanceof java.net.SocketTimeoutException) {
        return TIMEOUT;
      }
      if (c instanceof java.net.NoRouteToHostException) {
        return HOST_UNREACHABLE;
      }
      if (c instanceof java.net.ConnectException) {
        String m = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("network is unreachable")) {
          return NETWORK_UNREACHABLE;
        }
        if (m.contains("no route")) {
          return HOST_UNREACHABLE;
        }
        if (m.contains("timed out")) {
          return TIMEOUT;
        }
        return REFUSED;
      }
      if (c instanceof java.net.SocketException) {
        String m = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("network is unreachable")) {
          return NETWORK_UNREACHABLE;
        }
      }
      c = c.getCause();
    }
    return GENERAL;
  }
}
