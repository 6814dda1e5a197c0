package io.sluice.vms.domain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Operator-reserved addresses of a pool: entries {@code 10.0.0.5}, {@code 10.0.0.10-10.0.0.20} or
 * {@code 10.0.0.64/28} (IPv6 alike), as number ranges. Never handed out.
 */
public final class Reserved {

  /** One reserved range, both ends included. */
  public record Span(BigInteger first, BigInteger last) {}

  private final List<Span> spans;

  private Reserved(List<Span> spans) {
    this.spans = List.copyOf(spans);
  }

  /**
   * Parses the entries of one family.
   *
   * @throws IllegalArgumentException naming the first entry that is not an address, range or CIDR
   *     of the family
   */
  public static Reserved parse(List<String> entries, int family) {
    List<Span> out = new ArrayList<>();
    for (String raw : entries == null ? List.<String>of() : entries) {
      String e = raw.trim();
      Span s = span(e, family);
      if (s == null) {
        throw new IllegalArgumentException(
            "'" + raw + "' is not an IPv" + family + " address, range (a-b) or CIDR");
      }
      out.add(s);
    }
    return new Reserved(out);
  }

  private static Span span(String e, int family) {
    int dash = e.indexOf('-');
    int slash = e.indexOf('/');
    if (dash > 0) {
      BigInteger a = one(e.substring(0, dash).trim(), family);
      BigInteger b = one(e.substring(dash + 1).trim(), family);
      return a == null || b == null || a.compareTo(b) > 0 ? null : new Span(a, b);
    }
    if (slash > 0) {
      BigInteger a = one(e.substring(0, slash), family);
      String len = e.substring(slash + 1);
      if (a == null || !len.matches("\\d{1,3}")) {
        return null;
      }
      int bits = Addresses.bits(family);
      int l = Integer.parseInt(len);
      if (l > bits) {
        return null;
      }
      BigInteger size = BigInteger.ONE.shiftLeft(bits - l);
      BigInteger net = a.subtract(a.mod(size));
      return new Span(net, net.add(size).subtract(BigInteger.ONE));
    }
    BigInteger a = one(e, family);
    return a == null ? null : new Span(a, a);
  }

  private static BigInteger one(String text, int family) {
    return Addresses.family(text) == family ? Addresses.parse(text) : null;
  }

  public boolean contains(BigInteger n) {
    for (Span s : spans) {
      if (n.compareTo(s.first()) >= 0 && n.compareTo(s.last()) <= 0) {
        return true;
      }
    }
    return false;
  }

  public List<Span> spans() {
    return spans;
  }
}
