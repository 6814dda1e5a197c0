package io.sluice.engine.probe;

/**
 * Where a probe was when it ended, in order. The exit (for a direct route: the target host) was
 * reached exactly when the stage is {@link #HANDSHAKE} or later ({@link #exitReached()}).
 */
public enum ProbeStage {
  /** The URL is not usable (scheme, host, characters). Nothing was sent. */
  URL,
  /** Resolving a host name: the target's for a direct route, the upstream proxy's otherwise. */
  RESOLVE,
  /**
   * Opening the TCP connection to the first hop: the upstream proxy, or the target for a direct
   * route.
   */
  CONNECT,
  /** The upstream proxy's handshake (greeting, authentication), before the tunnel request. */
  HANDSHAKE,
  /** The tunnel request (SOCKS5 CONNECT, HTTP CONNECT) is out; waiting for the proxy's reply. */
  TUNNEL,
  /**
   * The TLS handshake with the target of an {@code https} URL, through the tunnel: certificate
   * chain and host name verified, SNI sent.
   */
  TLS,
  /** Sending the {@code GET} request. */
  REQUEST,
  /** Reading the response. */
  RESPONSE,
  /** A complete response was read. */
  DONE;

  /**
   * Whether the TCP connection to the first hop (proxy, or the target for a direct route) was up.
   */
  public boolean exitReached() {
    return compareTo(HANDSHAKE) >= 0;
  }
}
