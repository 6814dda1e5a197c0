package io.sluice.vms.domain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An address pool as stored: family 4 or 6, its prefixes, operator-reserved addresses (entries
 * {@code a}, {@code a-b} or a CIDR), an optional tier label, the reuse hold (seconds a released
 * address stays in quarantine) and the counts kept on its row under the pool lock.
 */
public record AddressPool(
    long id,
    String name,
    int family,
    String tier,
    long reuseHoldSeconds,
    List<String> reserved,
    List<PoolPrefix> prefixes,
    long used,
    long quarantined,
    Instant createdAt) {

  /** The prefix that contains the address number, if any. */
  public Optional<PoolPrefix> prefixOf(BigInteger n) {
    return prefixes.stream().filter(p -> p.contains(n)).findFirst();
  }
}
