package io.sluice.engine.exit;

/**
 * Why a session could not be established. Each front end maps it to its reply: SOCKS5 REP
 * codes (RFC 1928 section 6), SOCKS4 CD X'5B', HTTP status.
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
  /** Anything else. SOCKS5 X'01', HTTP 502. */
  GENERAL;

  /** Classifies a connect failure from the socket layer. */
  public static FailureKind ofConnectError(Throwable t) {
    Throwable c = t;
    while (c != null) {
      if (c instanceof io.netty.channel.ConnectTimeoutException || c instanceof java.net.SocketTimeoutException) {
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
