package io.sluice.engine.policy;

import inet.ipaddr.IPAddress;
import java.net.InetAddress;
import java.util.List;

/**
 * The deny table as the brief specifies it, written independently of the implementation. The
 * expected reason for an address is the reason of the most specific (longest prefix) range that
 * contains it, computed with ipaddress.
 */
final class DenyTable {

  record Range(String cidr, String reason, IPAddress block) {
    Range(String cidr, String reason) {
      this(cidr, reason, Addr.block(cidr));
    }
  }

  static final List<Range> RANGES =
      List.of(
          new Range("0.0.0.0/8", "this-network"),
          new Range("127.0.0.0/8", "loopback"),
          new Range("10.0.0.0/8", "private"),
          new Range("172.16.0.0/12", "private"),
          new Range("192.168.0.0/16", "private"),
          new Range("169.254.0.0/16", "link-local"),
          new Range("100.64.0.0/10", "cgnat"),
          new Range("192.0.0.0/24", "ietf-protocol"),
          new Range("192.0.2.0/24", "documentation"),
          new Range("198.51.100.0/24", "documentation"),
          new Range("203.0.113.0/24", "documentation"),
          new Range("198.18.0.0/15", "benchmarking"),
          new Range("224.0.0.0/4", "multicast"),
          new Range("240.0.0.0/4", "reserved"),
          new Range("255.255.255.255/32", "broadcast"),
          new Range("::/128", "unspecified"),
          new Range("::1/128", "loopback"),
          new Range("fc00::/7", "private"),
          new Range("fe80::/10", "link-local"),
          new Range("fec0::/10", "site-local"),
          new Range("ff00::/8", "multicast"),
          new Range("2001:db8::/32", "documentation"),
          new Range("3fff::/20", "documentation"),
          new Range("2001:2::/48", "benchmarking"),
          new Range("100::/64", "discard"),
          new Range("::ffff:0:0/96", "ipv4-embedded"),
          new Range("::ffff:0:0:0/96", "ipv4-embedded"),
          new Range("::/96", "ipv4-embedded"),
          new Range("64:ff9b::/96", "ipv4-embedded"),
          new Range("64:ff9b:1::/48", "ipv4-embedded"),
          new Range("2002::/16", "ipv4-embedded"),
          new Range("2001::/32", "ipv4-embedded"));

  static final IPAddress GLOBAL_UNICAST = Addr.block("2000::/3");

  private DenyTable() {}

  /** Expected deny reason for the address, or null when it is public. */
  static String expectedReason(InetAddress address) {
    IPAddress a = Addr.ip(address);
    Range best = null;
    for (Range r : RANGES) {
      if (r.block().isIPv4() == a.isIPv4()
          && r.block().contains(a)
          && (best == null
              || r.block().getNetworkPrefixLength() > best.block().getNetworkPrefixLength())) {
        best = r;
      }
    }
    if (best != null) {
      return best.reason();
    }
    if (a.isIPv6() && !GLOBAL_UNICAST.contains(a)) {
      return "reserved";
    }
    return null;
  }
}
