package io.sluice.engine.config;

/** What a listener speaks. */
public enum ListenerKind {
  /** SOCKS5 only (RFC 1928, RFC 1929). */
  SOCKS,
  /** HTTP proxy only (CONNECT and absolute-form forwarding). */
  HTTP,
  /**
   * Sniffs the first byte: X'05' is SOCKS5, X'04' is SOCKS4/4a (CONNECT only, source-address
   * authentication only), anything else is HTTP.
   */
  MIXED,
  /**
   * A reverse-tunnel public port: every connection is relayed as a stream of an agent's tunnel
   * connection, as the engine's {@link io.sluice.engine.mux.TunnelRouter} decides. No proxy
   * protocol is spoken; {@code authRequired} does not apply (the router checks sources and limits).
   */
  TUNNEL,
  /**
   * The data port of direct tunnel streams: agents connect here and send the one-time key of a
   * stream offered with OPEN_DIRECT; the connection then carries that stream's bytes (see {@link
   * io.sluice.engine.mux.DirectStreams}). {@code authRequired} does not apply.
   */
  TUNNEL_DIRECT,
  /**
   * Connections the host firewall redirected here ({@code redirect to :port}, iptables {@code
   * REDIRECT}): no proxy protocol; the destination is the connection's original destination ({@code
   * SO_ORIGINAL_DST}, see {@link io.sluice.engine.net.OriginalDestination}), the client is known by
   * its source address alone ({@link io.sluice.engine.spi.Authenticator#authenticateBySource}).
   * {@code authRequired} does not apply: a source the authenticator does not know is refused.
   */
  TRANSPARENT
}
