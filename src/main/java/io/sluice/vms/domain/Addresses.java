package io.sluice.vms.domain;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Address arithmetic on numbers: an IPv4 address as an unsigned 32-bit number, an IPv6 address as a
 * 128-bit {@link BigInteger}; text in the canonical forms (dotted quad, RFC 5952 section 4 for
 * IPv6: lower case, longest zero run compressed, leftmost on a tie, no single-group compression).
 */
public final class Addresses {

  private Addresses() {}

  /** The number of an address literal of either family, or null when it is not one. */
  public static BigInteger parse(String text) {
    if (text == null || text.isEmpty() || !text.matches("[0-9A-Fa-f:.]+")) {
      return null; // never a host name: InetAddress below must only see literals
    }
    if (!text.contains(":")) {
      long v = v4(text);
      return v < 0 ? null : BigInteger.valueOf(v);
    }
    try {
      byte[] b = InetAddress.getByName(text).getAddress();
      if (b.length == 4) {
        return null; // an IPv4-mapped literal: not accepted as IPv6
      }
      return new BigInteger(1, b);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The family (4 or 6) of an address literal, or 0 when it is not one. */
  public static int family(String text) {
    return parse(text) == null ? 0 : text.contains(":") ? 6 : 4;
  }

  /** A dotted-quad IPv4 address as a number, or -1 when it is not one. */
  public static long v4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return -1;
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return -1;
      }
      int octet = Integer.parseInt(p);
      if (octet > 255 || (p.length() > 1 && p.charAt(0) == '0')) {
        return -1;
      }
      v = (v << 8) | octet;
    }
    return v;
  }

  /** An IPv4 number as a dotted quad. */
  public static String v4(long n) {
    return ((n >>> 24) & 255)
        + "."
        + ((n >>> 16) & 255)
        + "."
        + ((n >>> 8) & 255)
        + "."
        + (n & 255);
  }

  /** An address number of the family as canonical text. */
  public static String format(BigInteger n, int family) {
    return family == 4 ? v4(n.longValueExact()) : v6(n);
  }

  /** An IPv6 number as RFC 5952 text. */
  public static String v6(BigInteger n) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = n.shiftRight(16 * (7 - i)).intValue() & 0xffff;
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLen - 1;
        continue;
      }
      if (!s.isEmpty() && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(g[i]));
    }
    return s.toString();
  }

  /** The number of bits of an address of the family. */
  public static int bits(int family) {
    return family == 4 ? 32 : 128;
  }
}
