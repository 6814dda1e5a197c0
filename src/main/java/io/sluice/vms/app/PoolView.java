package io.sluice.vms.app;

import io.sluice.vms.domain.AddressPool;
import io.sluice.vms.domain.PoolPrefix;
import io.sluice.vms.domain.PoolUsage;
import io.sluice.vms.domain.Reserved;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/** An address pool as the API shows it: settings, prefixes with their gateways, and usage. */
public record PoolView(
    long id,
    String name,
    int family,
    String tier,
    long reuseHoldSeconds,
    List<String> reserved,
    List<PrefixView> prefixes,
    PoolUsage usage,
    Instant createdAt) {

  /** One prefix of a pool. */
  public record PrefixView(String cidr, int prefixLength, String gateway, long usable) {}

  static PoolView of(AddressPool p) {
    return new PoolView(
        p.id(),
        p.name(),
        p.family(),
        p.tier(),
        p.reuseHoldSeconds(),
        p.reserved(),
        p.prefixes().stream()
            .map(x -> new PrefixView(x.cidr(), x.prefixLength(), x.gateway(), x.usable()))
            .toList(),
        usage(p),
        p.createdAt());
  }

  /**
   * The usage numbers of a pool. {@code maxWith16}/{@code maxWith8}: the addresses of a /16 (/8)
   * less network, broadcast, gateway and the operator's reserved addresses (at least the current
   * total); 0 for IPv6.
   */
  static PoolUsage usage(AddressPool p) {
    long total = 0;
    for (PoolPrefix x : p.prefixes()) {
      total = saturatedAdd(total, x.usable());
    }
    long available = Math.max(0, total - p.used() - p.quarantined());
    long max16 = 0;
    long max8 = 0;
    if (p.family() == 4) {
      long reserved = 0;
      for (Reserved.Span s : Reserved.parse(p.reserved(), 4).spans()) {
        reserved += s.last().subtract(s.first()).add(BigInteger.ONE).longValueExact();
      }
      max16 = Math.max(total, Math.max(0, 65_536 - 3 - reserved));
      max8 = Math.max(total, Math.max(0, 16_777_216 - 3 - reserved));
    }
    return new PoolUsage(
        p.id(),
        p.name(),
        p.family(),
        p.tier(),
        total,
        p.used(),
        p.quarantined(),
        available,
        p.prefixes().stream().map(PoolPrefix::cidr).toList(),
        max16,
        max8);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
