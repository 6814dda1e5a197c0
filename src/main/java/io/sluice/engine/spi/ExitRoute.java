package io.sluice.engine.spi;

import java.net.InetAddress;

/**
 * How a session leaves Sluice. Only {@link Direct} exists in the engine issue; upstream SOCKS5
 * and HTTP exits (and later Tor and tunnel agents) are added as further permitted types.
 */
public sealed interface ExitRoute {

  /** An id for logs and the sessions API ({@code direct} for the default route). */
  String id();

  /**
   * Connect straight to the destination, optionally from a given local source address.
   *
   * @param localAddress source address to bind, or {@code null} for the system's choice
   */
  record Direct(String id, InetAddress localAddress) implements ExitRoute {}

  static ExitRoute direct() {
    return new Direct("direct", null);
  }
}
