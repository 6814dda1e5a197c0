package io.sluice.vms.domain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * The allocation rules on top of {@link AllocationStore}; the caller holds the pool's row lock.
 *
 * <p>IPv4: the lowest free number from the free ranges (one index seek), or a specific address (its
 * range is split); the unique row per pool and address is the last guard. Release puts an address
 * into quarantine for the pool's reuse hold; expired ones go back to the free ranges at the next
 * allocation ({@value #RECLAIM_BATCH} at most per call, so the work per allocation stays bounded).
 * IPv6: a random interface id (all host bits random, never a scan), retried on a collision at most
 * {@value #V6_TRIES} times. Never handed out: the network and broadcast addresses, the gateway, the
 * operator's reserved entries, and for IPv6 the all-zero id and the subnet anycast ids (RFC 2526,
 * the highest 128 ids).
 */
public final class PoolAllocator {

  /** Expired quarantine rows given back per allocation at most. */
  public static final int RECLAIM_BATCH = 64;

  /** Random IPv6 ids tried per allocation at most. */
  public static final int V6_TRIES = 16;

  private static final BigInteger ANYCAST_IDS = BigInteger.valueOf(128);

  private final AllocationStore store;
  private final RandomGenerator random;

  public PoolAllocator(AllocationStore store, RandomGenerator random) {
    this.store = store;
    this.random = random;
  }

  /** Allocates an address (any, or {@code specific}) to a VM. */
  public Allocated allocate(AddressPool pool, String specific, long vmId, Instant now) {
    reclaim(pool, now, RECLAIM_BATCH);
    if (specific != null) {
      return specific(pool, specific, vmId, now);
    }
    if (pool.family() == 4) {
      OptionalLong n = store.takeLowest(pool.id());
      if (n.isEmpty()) {
        throw new AllocationException(
            AllocationException.Kind.EXHAUSTED, "pool " + pool.name() + " has no free address");
      }
      BigInteger number = BigInteger.valueOf(n.getAsLong());
      PoolPrefix prefix =
          pool.prefixOf(number)
              .orElseThrow(() -> new IllegalStateException("free number outside the pool"));
      if (!store.insert(row(pool, prefix, number, vmId, now))) {
        throw new IllegalStateException(
            "free ranges and allocations of pool " + pool.id() + " disagree on " + n);
      }
      store.count(pool.id(), 1, 0);
      return allocated(pool, prefix, number);
    }
    if (pool.prefixes().isEmpty()) {
      throw new AllocationException(
          AllocationException.Kind.EXHAUSTED, "pool " + pool.name() + " has no prefix");
    }
    for (int attempt = 0; attempt < V6_TRIES; attempt++) {
      PoolPrefix prefix = pool.prefixes().get(random.nextInt(pool.prefixes().size()));
      BigInteger number = prefix.network().add(randomId(128 - prefix.prefixLength()));
      if (!excluded(pool, prefix, number) && store.insert(row(pool, prefix, number, vmId, now))) {
        store.count(pool.id(), 1, 0);
        return allocated(pool, prefix, number);
      }
    }
    throw new AllocationException(
        AllocationException.Kind.EXHAUSTED,
        "no free address in pool " + pool.name() + " after " + V6_TRIES + " random tries");
  }

  private Allocated specific(AddressPool pool, String text, long vmId, Instant now) {
    BigInteger number = Addresses.parse(text);
    if (number == null || Addresses.family(text) != pool.family()) {
      throw conflict(text + " is not an IPv" + pool.family() + " address");
    }
    String address = Addresses.format(number, pool.family());
    PoolPrefix prefix =
        pool.prefixOf(number).orElseThrow(() -> conflict(address + " is outside the pool"));
    if (excluded(pool, prefix, number)) {
      throw conflict(address + " is reserved");
    }
    var existing = store.find(pool.id(), address);
    if (existing.isPresent()) {
      AllocationRow r = existing.get();
      if (r.releasedAt() == null) {
        throw conflict(address + " is taken");
      }
      Instant until = r.releasedAt().plusSeconds(pool.reuseHoldSeconds());
      if (until.isAfter(now)) {
        throw conflict(address + " is in quarantine until " + until);
      }
      giveBack(pool, r);
    }
    if (pool.family() == 4 && !store.take(pool.id(), number.longValueExact())) {
      throw conflict(address + " is not free");
    }
    if (!store.insert(row(pool, prefix, number, vmId, now))) {
      throw conflict(address + " is taken");
    }
    store.count(pool.id(), 1, 0);
    return allocated(pool, prefix, number);
  }

  /**
   * Releases an address held by the VM into quarantine (straight back to the free numbers with a
   * hold of 0). Returns false when it is not held (unknown, or already released).
   *
   * @throws AllocationException CONFLICT when another VM holds it
   */
  public boolean release(AddressPool pool, String text, long vmId, Instant now) {
    BigInteger number = Addresses.parse(text);
    if (number == null) {
      return false;
    }
    String address = Addresses.format(number, pool.family());
    var row = store.find(pool.id(), address);
    if (row.isEmpty() || row.get().releasedAt() != null) {
      return false;
    }
    if (row.get().vmId() != vmId) {
      throw conflict(address + " is held by VM " + row.get().vmId() + ", not " + vmId);
    }
    if (pool.reuseHoldSeconds() <= 0) {
      store.delete(pool.id(), address);
      if (row.get().number() != null) {
        store.addFree(pool.id(), row.get().number(), row.get().number());
      }
      store.count(pool.id(), -1, 0);
    } else {
      store.markReleased(pool.id(), address, now);
      store.count(pool.id(), -1, 1);
    }
    return true;
  }

  /** Gives addresses whose quarantine has ended back, at most {@code limit}; returns how many. */
  public int reclaim(AddressPool pool, Instant now, int limit) {
    if (pool.quarantined() <= 0) {
      return 0;
    }
    List<AllocationRow> rows =
        store.expired(pool.id(), now.minusSeconds(pool.reuseHoldSeconds()), limit);
    rows.forEach(r -> giveBack(pool, r));
    return rows.size();
  }

  private void giveBack(AddressPool pool, AllocationRow r) {
    store.delete(pool.id(), r.address());
    if (r.number() != null) {
      BigInteger n = BigInteger.valueOf(r.number());
      var prefix = pool.prefixOf(n);
      if (prefix.isPresent() && !excluded(pool, prefix.get(), n)) {
        store.addFree(pool.id(), r.number(), r.number());
      }
    }
    store.count(pool.id(), 0, -1);
  }

  /**
   * Opens a new IPv4 prefix of a pool: its usable numbers become free, less the numbers held or in
   * quarantine in the prefixes it replaces (a supernet such as a /16 over the pool's /24s), whose
   * rows move to it.
   */
  public void openPrefix(AddressPool pool, PoolPrefix prefix, List<PoolPrefix> replaced) {
    if (pool.family() != 4) {
      return;
    }
    long first = prefix.network().longValueExact();
    long last = prefix.last().longValueExact();
    FreeRanges free = usable(prefix, Reserved.parse(pool.reserved(), 4));
    if (!replaced.isEmpty()) {
      List<Long> ids = replaced.stream().map(PoolPrefix::id).toList();
      for (long n : store.numbers(ids)) {
        free.remove(n, n);
      }
      store.movePrefix(ids, prefix.id());
    }
    store.removeFree(pool.id(), first, last);
    free.ranges().forEach(r -> store.addFree(pool.id(), r.first(), r.last()));
  }

  /**
   * Closes a prefix: its free numbers and quarantined rows go.
   *
   * @throws AllocationException CONFLICT while it has held addresses
   */
  public void closePrefix(AddressPool pool, PoolPrefix prefix) {
    long held = store.countHeld(prefix.id());
    if (held > 0) {
      throw conflict(prefix.cidr() + " has " + held + " allocated addresses");
    }
    if (pool.family() == 4) {
      store.removeFree(
          pool.id(), prefix.network().longValueExact(), prefix.last().longValueExact());
    }
    int dropped = store.deleteReleased(prefix.id());
    store.count(pool.id(), 0, -dropped);
  }

  /** The usable numbers of an IPv4 prefix: all but network, broadcast, gateway and reserved. */
  public static FreeRanges usable(PoolPrefix prefix, Reserved reserved) {
    long first = prefix.network().longValueExact();
    long last = prefix.last().longValueExact();
    FreeRanges free = new FreeRanges();
    free.add(first, last);
    free.remove(first, first);
    free.remove(last, last);
    if (prefix.gateway() != null) {
      long g = Addresses.v4(prefix.gateway());
      free.remove(g, g);
    }
    for (Reserved.Span s : reserved.spans()) {
      BigInteger lo = s.first().max(BigInteger.valueOf(first));
      BigInteger hi = s.last().min(BigInteger.valueOf(last));
      if (lo.compareTo(hi) <= 0) {
        free.remove(lo.longValueExact(), hi.longValueExact());
      }
    }
    return free;
  }

  /** Whether a number of the prefix may never be handed out. */
  static boolean excluded(AddressPool pool, PoolPrefix prefix, BigInteger n) {
    BigInteger id = n.subtract(prefix.network());
    if (id.signum() == 0 || n.equals(prefix.last()) && pool.family() == 4) {
      return true;
    }
    if (pool.family() == 6
        && 128 - prefix.prefixLength() >= 8
        && prefix.last().subtract(n).compareTo(ANYCAST_IDS) < 0) {
      return true;
    }
    if (prefix.gateway() != null && n.equals(Addresses.parse(prefix.gateway()))) {
      return true;
    }
    return Reserved.parse(pool.reserved(), pool.family()).contains(n);
  }

  private BigInteger randomId(int hostBits) {
    BigInteger id = BigInteger.ZERO;
    for (int done = 0; done < hostBits; done += 64) {
      int bits = Math.min(64, hostBits - done);
      long r = random.nextLong();
      BigInteger part =
          new BigInteger(Long.toUnsignedString(bits == 64 ? r : r & ((1L << bits) - 1)));
      id = id.shiftLeft(bits).or(part);
    }
    return id;
  }

  private static AllocationRow row(
      AddressPool pool, PoolPrefix p, BigInteger n, long vm, Instant at) {
    return new AllocationRow(
        pool.id(),
        p.id(),
        Addresses.format(n, pool.family()),
        pool.family() == 4 ? n.longValueExact() : null,
        vm,
        at,
        null);
  }

  private static Allocated allocated(AddressPool pool, PoolPrefix prefix, BigInteger n) {
    return new Allocated(
        pool.id(),
        pool.name(),
        pool.family(),
        Addresses.format(n, pool.family()),
        prefix.prefixLength(),
        prefix.gateway());
  }

  private static AllocationException conflict(String detail) {
    return new AllocationException(AllocationException.Kind.CONFLICT, detail);
  }
}
