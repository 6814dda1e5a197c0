package io.sluice.engine.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which client source addresses are allowed: a list of CIDRs, IPv4 and IPv6, without ports. Used
 * for the global and per-user proxy source-IP whitelists and the admin panel whitelist.
 *
 * <p>Text form: comma-separated {@link Cidr}s, e.g. {@code 203.0.113.0/24, [2001:db8::]/32,
 * 198.51.100.7}; IPv6 may be bracketed or bare. Null or blank text is the empty list, which matches
 * nothing; an empty entry inside a non-blank text is an error.
 *
 * <p>Dual-stack sockets may report an IPv4 client as the IPv4-mapped IPv6 address {@code
 * ::ffff:a.b.c.d}: such an address matches IPv4 CIDRs by its embedded IPv4 address (and IPv6 CIDRs
 * by its IPv6 form). Symmetrically, an IPv4 client matches an IPv6 CIDR written in mapped form
 * ({@code [::ffff:10.0.0.0]/104}). Immutable and thread-safe; {@link #matches} does not allocate
 * beyond {@link InetAddress#getAddress()}.
 */
public final class SourceWhitelist {

  public static final SourceWhitelist EMPTY = new SourceWhitelist(List.of());

  /** The prefix ::ffff:0:0/96 as the low 64 bits (the high 64 bits are zero). */
  private static final long MAPPED_LO = 0x0000_FFFF_0000_0000L;

  private final List<Cidr> cidrs;
  private final Cidr[] v4;
  private final Cidr[] v6;

  private SourceWhitelist(List<Cidr> cidrs) {
    this.cidrs = List.copyOf(new LinkedHashSet<>(cidrs));
    this.v4 = this.cidrs.stream().filter(Cidr::isIPv4).toArray(Cidr[]::new);
    this.v6 = this.cidrs.stream().filter(c -> !c.isIPv4()).toArray(Cidr[]::new);
  }

  public static SourceWhitelist of(Collection<Cidr> cidrs) {
    return cidrs.isEmpty() ? EMPTY : new SourceWhitelist(new ArrayList<>(cidrs));
  }

  /**
   * Parses comma-separated CIDRs; null or blank text gives {@link #EMPTY}.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public static SourceWhitelist parse(String text) {
    return of(CommaList.parse(text, SourceWhitelist::entry));
  }

  /**
   * Parses a list of entries, each of which may hold several comma-separated CIDRs.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public static SourceWhitelist parse(Collection<String> entries) {
    return of(
        CommaList.parse(
            entries, "empty entry (expected a CIDR, e.g. 203.0.113.0/24)", SourceWhitelist::entry));
  }

  private static Cidr entry(String entry) {
    try {
      return Cidr.parse(entry);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad entry \"" + entry + "\": " + e.getMessage(), e);
    }
  }

  /** Whether the client address is covered by some CIDR; always false for the empty list. */
  public boolean matches(InetAddress client) {
    if (client instanceof Inet4Address) {
      int a = Cidr.toInt(client.getAddress());
      return matchesIPv4(a) || matchesIPv6(0L, MAPPED_LO | (a & 0xFFFF_FFFFL));
    }
    if (client instanceof Inet6Address) {
      byte[] b = client.getAddress();
      long hi = Cidr.toLong(b, 0);
      long lo = Cidr.toLong(b, 8);
      if (matchesIPv6(hi, lo)) {
        return true;
      }
      return hi == 0L && (lo & 0xFFFF_FFFF_0000_0000L) == MAPPED_LO && matchesIPv4((int) lo);
    }
    return false;
  }

  private boolean matchesIPv4(int a) {
    for (Cidr c : v4) {
      if (c.containsIPv4(a)) {
        return true;
      }
    }
    return false;
  }

  private boolean matchesIPv6(long hi, long lo) {
    for (Cidr c : v6) {
      if (c.containsIPv6(hi, lo)) {
        return true;
      }
    }
    return false;
  }

  public List<Cidr> cidrs() {
    return cidrs;
  }

  public boolean isEmpty() {
    return cidrs.isEmpty();
  }

  /** This list followed by the other's CIDRs (e.g. global plus per-user). */
  public SourceWhitelist with(SourceWhitelist other) {
    if (other.cidrs.isEmpty()) {
      return this;
    }
    if (cidrs.isEmpty()) {
      return other;
    }
    List<Cidr> all = new ArrayList<>(cidrs);
    all.addAll(other.cidrs);
    return new SourceWhitelist(all);
  }

  /** Canonical text, parses back to an equal whitelist. */
  @Override
  public String toString() {
    return cidrs.stream().map(Cidr::toString).collect(Collectors.joining(","));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceWhitelist w && w.cidrs.equals(cidrs);
  }

  @Override
  public int hashCode() {
    return cidrs.hashCode();
  }
}
