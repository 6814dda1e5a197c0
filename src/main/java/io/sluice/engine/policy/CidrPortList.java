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
 * An immutable list of {@link CidrPortRule}s with an allocation-free matcher (the rules are
 * flattened into primitive arrays per address family).
 *
 * <p>Text form: entries separated by commas, each {@code CIDR:PORTS} as described in {@link
 * CidrPortRule}, e.g. {@code 127.0.0.1/32:8000-8999, 10.0.0.0/8:443, [fd00::]/8:*}. A null or blank
 * text is the empty list; an empty entry inside a non-blank text (a doubled or trailing comma) is
 * an error. Duplicate entries are dropped.
 */
public final class CidrPortList {

  public static final CidrPortList EMPTY = new CidrPortList(List.of());

  private final List<CidrPortRule> rules;

  private final int[] v4Net;
  private final int[] v4Mask;
  private final int[] v4From;
  private final int[] v4To;

  private final long[] v6HiNet;
  private final long[] v6LoNet;
  private final long[] v6HiMask;
  private final long[] v6LoMask;
  private final int[] v6From;
  private final int[] v6To;

  private CidrPortList(List<CidrPortRule> rules) {
    this.rules = List.copyOf(new LinkedHashSet<>(rules));
    int n4 = 0;
    for (CidrPortRule r : this.rules) {
      if (r.cidr().isIPv4()) {
        n4++;
      }
    }
    int n6 = this.rules.size() - n4;
    v4Net = new int[n4];
    v4Mask = new int[n4];
    v4From = new int[n4];
    v4To = new int[n4];
    v6HiNet = new long[n6];
    v6LoNet = new long[n6];
    v6HiMask = new long[n6];
    v6LoMask = new long[n6];
    v6From = new int[n6];
    v6To = new int[n6];
    int i4 = 0;
    int i6 = 0;
    for (CidrPortRule r : this.rules) {
      Cidr c = r.cidr();
      if (c.isIPv4()) {
        int mask = c.prefixLength() == 0 ? 0 : (int) (0xFFFF_FFFFL << (32 - c.prefixLength()));
        v4Mask[i4] = mask;
        v4Net[i4] = Cidr.toInt(c.toIPAddress().getLower().getBytes()) & mask;
        v4From[i4] = r.portFrom();
        v4To[i4] = r.portTo();
        i4++;
      } else {
        byte[] b = c.toIPAddress().getLower().getBytes();
        v6HiMask[i6] = Cidr.mask64(c.prefixLength());
        v6LoMask[i6] = Cidr.mask64(c.prefixLength() - 64);
        v6HiNet[i6] = Cidr.toLong(b, 0) & v6HiMask[i6];
        v6LoNet[i6] = Cidr.toLong(b, 8) & v6LoMask[i6];
        v6From[i6] = r.portFrom();
        v6To[i6] = r.portTo();
        i6++;
      }
    }
  }

  /** A list of the given rules (in order, duplicates dropped). */
  public static CidrPortList of(Collection<CidrPortRule> rules) {
    return rules.isEmpty() ? EMPTY : new CidrPortList(new ArrayList<>(rules));
  }

  /**
   * Parses comma-separated entries. Null or blank text gives {@link #EMPTY}.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public static CidrPortList parse(String text) {
    return of(CommaList.parse(text, CidrPortRule::parse));
  }

  /**
   * Parses a list of entries (for example {@code ProxyPrincipal.allowDestinations()}); each element
   * uses the same grammar as {@link #parse(String)} and may itself hold several comma-separated
   * entries. Blank elements are errors.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public static CidrPortList parse(Collection<String> entries) {
    return of(
        CommaList.parse(
            entries,
            "empty entry (expected CIDR:PORTS, e.g. 10.0.0.0/8:443)",
            CidrPortRule::parse));
  }

  /** This list followed by the other's rules. */
  public CidrPortList with(CidrPortList other) {
    if (other.rules.isEmpty()) {
      return this;
    }
    if (rules.isEmpty()) {
      return other;
    }
    List<CidrPortRule> all = new ArrayList<>(rules);
    all.addAll(other.rules);
    return new CidrPortList(all);
  }

  public List<CidrPortRule> rules() {
    return rules;
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** Whether some rule covers the address (same family) and port. */
  public boolean matches(InetAddress address, int port) {
    if (address instanceof Inet4Address) {
      return matchesIPv4(Cidr.toInt(address.getAddress()), port);
    }
    if (address instanceof Inet6Address) {
      byte[] b = address.getAddress();
      return matchesIPv6(Cidr.toLong(b, 0), Cidr.toLong(b, 8), port);
    }
    return false;
  }

  boolean matchesIPv4(int address, int port) {
    int[] net = v4Net;
    int[] mask = v4Mask;
    for (int i = 0; i < net.length; i++) {
      if ((address & mask[i]) == net[i] && port >= v4From[i] && port <= v4To[i]) {
        return true;
      }
    }
    return false;
  }

  boolean matchesIPv6(long hi, long lo, int port) {
    long[] hiNet = v6HiNet;
    for (int i = 0; i < hiNet.length; i++) {
      if ((hi & v6HiMask[i]) == hiNet[i]
          && (lo & v6LoMask[i]) == v6LoNet[i]
          && port >= v6From[i]
          && port <= v6To[i]) {
        return true;
      }
    }
    return false;
  }

  /** Canonical text: canonical entries joined by {@code ","}; parses back to an equal list. */
  @Override
  public String toString() {
    return rules.stream().map(CidrPortRule::toString).collect(Collectors.joining(","));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CidrPortList l && l.rules.equals(rules);
  }

  @Override
  public int hashCode() {
    return rules.hashCode();
  }
}
