package io.sluice.engine.spi;

import java.net.InetAddress;

/**
 * May this principal reach this address and port? The engine resolves a domain name once, asks this
 * policy about every resolved address, and connects to exactly an address that was checked (no
 * second lookup, so DNS rebinding cannot slip past). Applies to CONNECT, BIND and every UDP
 * datagram.
 */
public interface DestinationPolicy {

  PolicyDecision check(ProxyPrincipal principal, InetAddress address, int port);

  /** A policy that allows everything; only for tests of the engine in isolation. */
  static DestinationPolicy allowAll() {
    return (p, a, port) -> PolicyDecision.allow("allow-all");
  }
}
