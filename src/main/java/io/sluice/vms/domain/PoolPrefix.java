package io.sluice.vms.domain;

import java.math.BigInteger;

/**
 * One prefix of a pool as stored: its network in CIDR notation, the gateway handed to VMs whose
 * address lies in it, and how many usable addresses it has (size minus network, broadcast, gateway
 * and reserved addresses inside it; saturated at {@link Long#MAX_VALUE} for IPv6).
 */
public record PoolPrefix(
    long id, String cidr, int family, int prefixLength, String gateway, long usable) {

  /** The prefix's network number. */
  public BigInteger network() {
    return Addresses.parse(cidr.substring(0, cidr.indexOf('/')));
  }

  /** The last number of the prefix (the broadcast address for IPv4). */
  public BigInteger last() {
    return network()
        .add(BigInteger.ONE.shiftLeft(Addresses.bits(family) - prefixLength))
        .subtract(BigInteger.ONE);
  }

  public boolean contains(BigInteger n) {
    return n.compareTo(network()) >= 0 && n.compareTo(last()) <= 0;
  }

  /** Whether this prefix covers all of {@code other}. */
  public boolean covers(PoolPrefix other) {
    return other.family == family && contains(other.network()) && contains(other.last());
  }
}
