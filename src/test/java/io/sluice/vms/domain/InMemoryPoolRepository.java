package io.sluice.vms.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@link AddressPoolRepository} in memory, for unit tests; {@code lock} only reads. */
public final class InMemoryPoolRepository implements AddressPoolRepository {

  private final TreeMap<Long, AddressPool> pools = new TreeMap<>();
  private final AtomicLong ids = new AtomicLong(1);

  @Override
  public long insert(PoolRow row) {
    if (byName(row.name()).isPresent()) {
      throw new IllegalStateException("duplicate name");
    }
    long id = ids.getAndIncrement();
    pools.put(
        id,
        new AddressPool(
            id,
            row.name(),
            row.family(),
            row.tier(),
            row.reuseHoldSeconds(),
            List.copyOf(row.reserved()),
            List.of(),
            0,
            0,
            Instant.now()));
    return id;
  }

  @Override
  public PoolPrefix insertPrefix(long poolId, PoolPrefix p) {
    PoolPrefix stored =
        new PoolPrefix(
            ids.getAndIncrement(), p.cidr(), p.family(), p.prefixLength(), p.gateway(), p.usable());
    AddressPool a = pools.get(poolId);
    List<PoolPrefix> prefixes = new ArrayList<>(a.prefixes());
    prefixes.add(stored);
    pools.put(poolId, with(a, a.reserved(), prefixes, a.used(), a.quarantined()));
    return stored;
  }

  @Override
  public void deletePrefixes(List<Long> prefixIds) {
    pools.replaceAll((id, a) ->
        with(
            a,
            a.reserved(),
            a.prefixes().stream().filter(p -> !prefixIds.contains(p.id())).toList(),
            a.used(),
            a.quarantined()));
  }

  @Override
  public void update(long poolId, String tier, long hold, List<String> reserved) {
    AddressPool a = pools.get(poolId);
    pools.put(
        poolId,
        new AddressPool(
            a.id(),
            a.name(),
            a.family(),
            tier,
            hold,
            List.copyOf(reserved),
            a.prefixes(),
            a.used(),
            a.quarantined(),
            a.createdAt()));
  }

  @Override
  public boolean delete(long poolId) {
    return pools.remove(poolId) != null;
  }

  @Override
  public Optional<AddressPool> byId(long id) {
    return Optional.ofNullable(pools.get(id));
  }

  @Override
  public Optional<AddressPool> byName(String name) {
    return pools.values().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  @Override
  public Optional<AddressPool> lock(long id) {
    return byId(id);
  }

  @Override
  public List<AddressPool> all() {
    return List.copyOf(pools.values());
  }

  void count(long poolId, long held, long quarantined) {
    AddressPool a = pools.get(poolId);
    pools.put(
        poolId,
        with(a, a.reserved(), a.prefixes(), a.used() + held, a.quarantined() + quarantined));
  }

  private static AddressPool with(
      AddressPool a, List<String> reserved, List<PoolPrefix> prefixes, long used, long q) {
    return new AddressPool(
        a.id(),
        a.name(),
        a.family(),
        a.tier(),
        a.reuseHoldSeconds(),
        reserved,
        prefixes,
        used,
        q,
        a.createdAt());
  }
}
