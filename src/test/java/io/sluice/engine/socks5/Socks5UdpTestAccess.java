package io.sluice.engine.socks5;

/** Lets tests in other packages build UDP request datagrams. */
public final class Socks5UdpTestAccess {

  private Socks5UdpTestAccess() {}

  public static byte[] datagramIpv4(String payload, int port) {
    return Socks5UdpTest.datagramIpv4(payload, port);
  }
}
