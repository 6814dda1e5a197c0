package io.sluice.vms.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * {@link AllocationStore} in memory on {@link FreeRanges}, for unit tests. Pool counts go to the
 * {@link InMemoryPoolRepository} it is given.
 */
public final class InMemoryAllocationStore implements AllocationStore {

  private final Map<Long, FreeRanges> free = new HashMap<>();
  private final Map<Long, TreeMap<String, AllocationRow>> rows = new HashMap<>();
  private final InMemoryPoolRepository pools;

  public InMemoryAllocationStore(InMemoryPoolRepository pools) {
    this.pools = pools;
  }

  private FreeRanges free(long poolId) {
    return free.computeIfAbsent(poolId, k -> new FreeRanges());
  }

  private TreeMap<String, AllocationRow> rows(long poolId) {
    return rows.computeIfAbsent(poolId, k -> new TreeMap<>());
  }

  @Override
  public OptionalLong takeLowest(long poolId) {
    return free(poolId).takeLowest();
  }

  @Override
  public boolean take(long poolId, long number) {
    return free(poolId).take(number);
  }

  @Override
  public void addFree(long poolId, long first, long last) {
    free(poolId).add(first, last);
  }

  @Override
  public void removeFree(long poolId, long first, long last) {
    free(poolId).remove(first, last);
  }

  @Override
  public long freeCount(long poolId) {
    return free(poolId).count();
  }

  @Override
  public boolean insert(AllocationRow row) {
    return rows(row.poolId()).putIfAbsent(row.address(), row) == null;
  }

  @Override
  public Optional<AllocationRow> find(long poolId, String address) {
    return Optional.ofNullable(rows(poolId).get(address));
  }

  @Override
  public void markReleased(long poolId, String address, Instant at) {
    AllocationRow r = rows(poolId).get(address);
    rows(poolId)
        .put(
            address,
            new AllocationRow(
                r.poolId(), r.prefixId(), r.address(), r.number(), r.vmId(), r.allocatedAt(), at));
  }

  @Override
  public void delete(long poolId, String address) {
    rows(poolId).remove(address);
  }

  @Override
  public List<AllocationRow> expired(long poolId, Instant before, int limit) {
    return rows(poolId).values().stream()
        .filter(r -> r.releasedAt() != null && !r.releasedAt().isAfter(before))
        .sorted(Comparator.comparing(AllocationRow::releasedAt))
        .limit(limit)
        .toList();
  }

  @Override
  public long countHeld(long prefixId) {
    return all().filter(r -> r.prefixId() == prefixId && r.releasedAt() == null).count();
  }

  @Override
  public long[] numbers(Collection<Long> prefixIds) {
    return all()
        .filter(r -> prefixIds.contains(r.prefixId()))
        .mapToLong(AllocationRow::number)
        .sorted()
        .toArray();
  }

  @Override
  public int deleteReleased(long prefixId) {
    int n = 0;
    for (var m : rows.values()) {
      for (var it = m.values().iterator(); it.hasNext(); ) {
        AllocationRow r = it.next();
        if (r.prefixId() == prefixId && r.releasedAt() != null) {
          it.remove();
          n++;
        }
      }
    }
    return n;
  }

  @Override
  public void movePrefix(Collection<Long> fromPrefixIds, long toPrefixId) {
    for (var m : rows.values()) {
      m.replaceAll((a, r) ->
          fromPrefixIds.contains(r.prefixId())
              ? new AllocationRow(
                  r.poolId(),
                  toPrefixId,
                  r.address(),
                  r.number(),
                  r.vmId(),
                  r.allocatedAt(),
                  r.releasedAt())
              : r);
    }
  }

  @Override
  public void count(long poolId, long heldDelta, long quarantinedDelta) {
    pools.count(poolId, heldDelta, quarantinedDelta);
  }

  /** Every row of every pool. */
  public java.util.stream.Stream<AllocationRow> all() {
    return rows.values().stream().flatMap(m -> m.values().stream());
  }
}
