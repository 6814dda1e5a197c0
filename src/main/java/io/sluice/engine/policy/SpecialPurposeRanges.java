package io.sluice.engine.policy;

import io.sluice.engine.spi.PolicyDecision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in deny table of {@link DefaultDestinationPolicy}: special-purpose IPv4 and IPv6 ranges
 * (RFC 6890 and successors) that are never a public destination, each with its reason, and "IPv6
 * outside the global unicast block {@code 2000::/3}". The table is documented on {@link
 * DefaultDestinationPolicy}. Lookups allocate nothing: rules are preparsed and every decision is
 * preallocated.
 */
final class SpecialPurposeRanges {

  private SpecialPurposeRanges() {}

  /** Most specific first within overlapping entries. */
  private static final String[][] TABLE = {
    {"255.255.255.255/32", DefaultDestinationPolicy.BROADCAST},
    {"0.0.0.0/8", DefaultDestinationPolicy.THIS_NETWORK},
    {"127.0.0.0/8", DefaultDestinationPolicy.LOOPBACK},
    {"10.0.0.0/8", DefaultDestinationPolicy.PRIVATE},
    {"172.16.0.0/12", DefaultDestinationPolicy.PRIVATE},
    {"192.168.0.0/16", DefaultDestinationPolicy.PRIVATE},
    {"169.254.0.0/16", DefaultDestinationPolicy.LINK_LOCAL},
    {"100.64.0.0/10", DefaultDestinationPolicy.CGNAT},
    {"192.0.0.0/24", DefaultDestinationPolicy.IETF_PROTOCOL},
    {"192.0.2.0/24", DefaultDestinationPolicy.DOCUMENTATION},
    {"198.51.100.0/24", DefaultDestinationPolicy.DOCUMENTATION},
    {"203.0.113.0/24", DefaultDestinationPolicy.DOCUMENTATION},
    {"198.18.0.0/15", DefaultDestinationPolicy.BENCHMARKING},
    {"224.0.0.0/4", DefaultDestinationPolicy.MULTICAST},
    {"240.0.0.0/4", DefaultDestinationPolicy.RESERVED},
    {"[::]/128", DefaultDestinationPolicy.UNSPECIFIED},
    {"[::1]/128", DefaultDestinationPolicy.LOOPBACK},
    {"[::ffff:0:0]/96", DefaultDestinationPolicy.IPV4_EMBEDDED},
    {"[::ffff:0:0:0]/96", DefaultDestinationPolicy.IPV4_EMBEDDED},
    {"[::]/96", DefaultDestinationPolicy.IPV4_EMBEDDED},
    {"[64:ff9b::]/96", DefaultDestinationPolicy.IPV4_EMBEDDED},
    {"[64:ff9b:1::]/48", DefaultDestinationPolicy.IPV4_EMBEDDED},
    {"[100::]/64", DefaultDestinationPolicy.DISCARD},
    {"[2001::]/32", DefaultDestinationPolicy.IPV4_EMBEDDED},
    {"[2001:2::]/48", DefaultDestinationPolicy.BENCHMARKING},
    {"[2001:db8::]/32", DefaultDestinationPolicy.DOCUMENTATION},
    {"[2002::]/16", DefaultDestinationPolicy.IPV4_EMBEDDED},
    {"[3fff::]/20", DefaultDestinationPolicy.DOCUMENTATION},
    {"[fc00::]/7", DefaultDestinationPolicy.PRIVATE},
    {"[fe80::]/10", DefaultDestinationPolicy.LINK_LOCAL},
    {"[fec0::]/10", DefaultDestinationPolicy.SITE_LOCAL},
    {"[ff00::]/8", DefaultDestinationPolicy.MULTICAST},
  };

  private static final Map<Cidr, String> TABLE_VIEW;
  private static final Cidr[] DENY4;
  private static final PolicyDecision[] DENY4_DECISION;
  private static final Cidr[] DENY6;
  private static final PolicyDecision[] DENY6_DECISION;
  private static final PolicyDecision D_RESERVED =
      PolicyDecision.deny(DefaultDestinationPolicy.RESERVED);

  static {
    Map<Cidr, String> m = new LinkedHashMap<>();
    List<Cidr> c4 = new ArrayList<>();
    List<PolicyDecision> d4 = new ArrayList<>();
    List<Cidr> c6 = new ArrayList<>();
    List<PolicyDecision> d6 = new ArrayList<>();
    for (String[] row : TABLE) {
      Cidr c = Cidr.parse(row[0]);
      m.put(c, row[1]);
      (c.isIPv4() ? c4 : c6).add(c);
      (c.isIPv4() ? d4 : d6).add(PolicyDecision.deny(row[1]));
    }
    m.put(Cidr.parse("[::]/0"), DefaultDestinationPolicy.RESERVED + " (outside 2000::/3)");
    TABLE_VIEW = Collections.unmodifiableMap(m);
    DENY4 = c4.toArray(Cidr[]::new);
    DENY4_DECISION = d4.toArray(PolicyDecision[]::new);
    DENY6 = c6.toArray(Cidr[]::new);
    DENY6_DECISION = d6.toArray(PolicyDecision[]::new);
  }

  /**
   * The table in evaluation order, CIDR to reason; the last entry ({@code [::]/0}) stands for "IPv6
   * outside {@code 2000::/3}".
   */
  static Map<Cidr, String> table() {
    return TABLE_VIEW;
  }

  /** The deny decision for an IPv4 address (as an int) in a special-purpose range, or null. */
  static PolicyDecision matchIPv4(int address) {
    for (int i = 0; i < DENY4.length; i++) {
      if (DENY4[i].containsIPv4(address)) {
        return DENY4_DECISION[i];
      }
    }
    return null;
  }

  /**
   * The deny decision for an IPv6 address (as two longs) in a special-purpose range or outside
   * {@code 2000::/3}, or null.
   */
  static PolicyDecision matchIPv6(long hi, long lo) {
    for (int i = 0; i < DENY6.length; i++) {
      if (DENY6[i].containsIPv6(hi, lo)) {
        return DENY6_DECISION[i];
      }
    }
    if ((hi >>> 61) != 0b001) { // not in 2000::/3 global unicast
      return D_RESERVED;
    }
    return null;
  }
}
