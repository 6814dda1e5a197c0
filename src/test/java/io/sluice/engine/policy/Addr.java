package io.sluice.engine.policy;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Test helpers: build InetAddresses exactly (IPv6 stays IPv6, even when IPv4-mapped). */
final class Addr {

  private Addr() {}

  /** Parses a literal with ipaddress; IPv6 always becomes an Inet6Address. */
  static InetAddress of(String literal) {
    return of(new IPAddressString(literal).getAddress());
  }

  static InetAddress of(IPAddress a) {
    return bytes(a.getLower().withoutPrefixLength().getBytes());
  }

  static InetAddress bytes(byte[] b) {
    try {
      return b.length == 16 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static InetAddress ipv4(int v) {
    return bytes(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  static InetAddress ipv6(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] b = new byte[16];
    int n = Math.min(16, raw.length);
    System.arraycopy(raw, raw.length - n, b, 16 - n, n);
    return bytes(b);
  }

  static BigInteger value(IPAddress a) {
    return a.getValue();
  }

  /**
   * The block's address at the given offset (BigInteger arithmetic, independent of the code under
   * test).
   */
  static InetAddress at(IPAddress block, BigInteger offset) {
    BigInteger v = block.getValue().add(offset);
    if (block.isIPv4()) {
      return ipv4(v.intValue());
    }
    return ipv6(v);
  }

  static IPAddress block(String cidr) {
    IPAddress a = new IPAddressString(cidr).getAddress();
    if (a == null) {
      throw new IllegalArgumentException(cidr);
    }
    return a.toPrefixBlock();
  }

  static IPAddress ip(InetAddress a) {
    byte[] b = a.getAddress();
    return b.length == 4
        ? new inet.ipaddr.ipv4.IPv4Address(b)
        : new inet.ipaddr.ipv6.IPv6Address(b);
  }

  /** 6to4 / mapped / NAT64 forms of an IPv4 address. */
  static InetAddress mapped(int v4) {
    byte[] b = new byte[16];
    b[10] = (byte) 0xFF;
    b[11] = (byte) 0xFF;
    put(b, 12, v4);
    return bytes(b);
  }

  static InetAddress nat64(int v4) {
    byte[] b = new byte[16];
    b[0] = 0x00;
    b[1] = 0x64;
    b[2] = (byte) 0xFF;
    b[3] = (byte) 0x9B;
    put(b, 12, v4);
    return bytes(b);
  }

  static InetAddress sixToFour(int v4, long tail) {
    byte[] b = new byte[16];
    b[0] = 0x20;
    b[1] = 0x02;
    put(b, 2, v4);
    for (int i = 0; i < 10; i++) {
      b[15 - i] = (byte) (tail >>> (8 * i));
    }
    return bytes(b);
  }

  static InetAddress compatible(int v4) {
    byte[] b = new byte[16];
    put(b, 12, v4);
    return bytes(b);
  }

  private static void put(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
