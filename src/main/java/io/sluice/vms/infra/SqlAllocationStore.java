package io.sluice.vms.infra;

import io.sluice.platform.db.Sql;
import io.sluice.platform.db.SqlValues;
import io.sluice.vms.domain.AllocationRow;
import io.sluice.vms.domain.AllocationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link AllocationStore} in SQL on {@code address_free_range} (primary key {@code (pool_id,
 * first_num)}: the lowest free number, a number's range and its neighbours are index seeks) and
 * {@code address_allocation} (primary key {@code (pool_id, address)}, the last guard against a
 * duplicate). Runs in the caller's transaction.
 */
public class SqlAllocationStore implements AllocationStore {

  private static final String ROW =
      "SELECT pool_id, prefix_id, address, address_num, vm_id, allocated_at, released_at "
          + "FROM address_allocation";

  private final Sql fixed;

  /** On one {@link Sql} (tests and tools). */
  public SqlAllocationStore(Sql sql) {
    this.fixed = sql;
  }

  /** The {@link Sql} of the current transaction. */
  protected Sql sql() {
    return fixed;
  }

  @Override
  public OptionalLong takeLowest(long poolId) {
    List<Object[]> r =
        sql()
            .rows(
                "SELECT first_num, last_num FROM address_free_range WHERE pool_id = ? "
                    + "ORDER BY first_num LIMIT 1",
                poolId);
    if (r.isEmpty()) {
      return OptionalLong.empty();
    }
    long first = num(r.get(0)[0]);
    long last = num(r.get(0)[1]);
    if (first == last) {
      deleteRange(poolId, first);
    } else {
      sql()
          .update(
              "UPDATE address_free_range SET first_num = ? WHERE pool_id = ? AND first_num = ?",
              first + 1,
              poolId,
              first);
    }
    return OptionalLong.of(first);
  }

  @Override
  public boolean take(long poolId, long n) {
    long[] range = floor(poolId, n);
    if (range == null || range[1] < n) {
      return false;
    }
    long first = range[0];
    long last = range[1];
    if (first == n) {
      deleteRange(poolId, first);
      if (last > n) {
        insertRange(poolId, n + 1, last);
      }
    } else {
      setLast(poolId, first, n - 1);
      if (last > n) {
        insertRange(poolId, n + 1, last);
      }
    }
    return true;
  }

  @Override
  public void addFree(long poolId, long first, long last) {
    long[] before = first == Long.MIN_VALUE ? null : floor(poolId, first - 1);
    List<Object[]> after =
        sql()
            .rows(
                "SELECT last_num FROM address_free_range WHERE pool_id = ? AND first_num = ?",
                poolId,
                last + 1);
    long hi = after.isEmpty() ? last : num(after.get(0)[0]);
    if (!after.isEmpty()) {
      deleteRange(poolId, last + 1);
    }
    if (before != null && before[1] == first - 1) {
      setLast(poolId, before[0], hi);
    } else {
      insertRange(poolId, first, hi);
    }
  }

  @Override
  public void removeFree(long poolId, long first, long last) {
    List<long[]> hit = new ArrayList<>();
    long[] below = floor(poolId, first);
    if (below != null && below[1] >= first) {
      hit.add(below);
    }
    for (Object[] r :
        sql()
            .rows(
                "SELECT first_num, last_num FROM address_free_range WHERE pool_id = ? "
                    + "AND first_num > ? AND first_num <= ? ORDER BY first_num",
                poolId,
                first,
                last)) {
      hit.add(new long[] {num(r[0]), num(r[1])});
    }
    for (long[] r : hit) {
      deleteRange(poolId, r[0]);
      if (r[0] < first) {
        insertRange(poolId, r[0], first - 1);
      }
      if (r[1] > last) {
        insertRange(poolId, last + 1, r[1]);
      }
    }
  }

  @Override
  public long freeCount(long poolId) {
    return num(
        sql()
            .rows(
                "SELECT COALESCE(SUM(last_num - first_num + 1), 0) FROM address_free_range "
                    + "WHERE pool_id = ?",
                poolId)
            .get(0)[0]);
  }

  @Override
  public boolean insert(AllocationRow r) {
    // The caller holds the pool lock, so NOT EXISTS is exact; the primary key stays the guard.
    String num = r.number() == null ? "CAST(NULL AS BIGINT)" : "CAST(? AS BIGINT)";
    List<Object> params = new ArrayList<>(List.of(r.poolId(), r.prefixId(), r.address()));
    if (r.number() != null) {
      params.add(r.number());
    }
    params.addAll(List.of(r.vmId(), r.allocatedAt(), r.poolId(), r.address()));
    return sql()
            .update(
                "INSERT INTO address_allocation (pool_id, prefix_id, address, address_num, vm_id, "
                    + "allocated_at) SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS VARCHAR(64)), "
                    + num
                    + ", CAST(? AS BIGINT), CAST(? AS TIMESTAMP WITH TIME ZONE) WHERE NOT EXISTS "
                    + "(SELECT 1 FROM address_allocation WHERE pool_id = ? AND address = ?)",
                params.toArray())
        == 1;
  }

  @Override
  public Optional<AllocationRow> find(long poolId, String address) {
    List<Object[]> r = sql().rows(ROW + " WHERE pool_id = ? AND address = ?", poolId, address);
    return r.isEmpty() ? Optional.empty() : Optional.of(row(r.get(0)));
  }

  @Override
  public void markReleased(long poolId, String address, Instant at) {
    sql()
        .update(
            "UPDATE address_allocation SET released_at = ? WHERE pool_id = ? AND address = ?",
            at,
            poolId,
            address);
  }

  @Override
  public void delete(long poolId, String address) {
    sql()
        .update(
            "DELETE FROM address_allocation WHERE pool_id = ? AND address = ?", poolId, address);
  }

  @Override
  public List<AllocationRow> expired(long poolId, Instant before, int limit) {
    return sql()
        .rows(
            ROW + " WHERE pool_id = ? AND released_at <= ? ORDER BY released_at LIMIT " + limit,
            poolId,
            before)
        .stream()
        .map(SqlAllocationStore::row)
        .toList();
  }

  @Override
  public long countHeld(long prefixId) {
    return num(
        sql()
            .rows(
                "SELECT COUNT(*) FROM address_allocation WHERE prefix_id = ? AND released_at IS NULL",
                prefixId)
            .get(0)[0]);
  }

  @Override
  public long[] numbers(Collection<Long> prefixIds) {
    if (prefixIds.isEmpty()) {
      return new long[0];
    }
    return sql()
        .rows(
            "SELECT address_num FROM address_allocation WHERE prefix_id IN ("
                + marks(prefixIds.size())
                + ") ORDER BY address_num",
            prefixIds.toArray())
        .stream()
        .mapToLong(r -> num(r[0]))
        .toArray();
  }

  @Override
  public int deleteReleased(long prefixId) {
    return sql()
        .update(
            "DELETE FROM address_allocation WHERE prefix_id = ? AND released_at IS NOT NULL",
            prefixId);
  }

  @Override
  public void movePrefix(Collection<Long> fromPrefixIds, long toPrefixId) {
    if (fromPrefixIds.isEmpty()) {
      return;
    }
    List<Object> params = new ArrayList<>();
    params.add(toPrefixId);
    params.addAll(fromPrefixIds);
    sql()
        .update(
            "UPDATE address_allocation SET prefix_id = ? WHERE prefix_id IN ("
                + marks(fromPrefixIds.size())
                + ")",
            params.toArray());
  }

  @Override
  public void count(long poolId, long heldDelta, long quarantinedDelta) {
    sql()
        .update(
            "UPDATE address_pool SET used_count = used_count + ?, "
                + "quarantined_count = quarantined_count + ? WHERE id = ?",
            heldDelta,
            quarantinedDelta,
            poolId);
  }

  /** The free range starting at or below {@code n} nearest to it, or null. */
  private long[] floor(long poolId, long n) {
    List<Object[]> r =
        sql()
            .rows(
                "SELECT first_num, last_num FROM address_free_range WHERE pool_id = ? "
                    + "AND first_num <= ? ORDER BY first_num DESC LIMIT 1",
                poolId,
                n);
    return r.isEmpty() ? null : new long[] {num(r.get(0)[0]), num(r.get(0)[1])};
  }

  private void insertRange(long poolId, long first, long last) {
    sql()
        .update(
            "INSERT INTO address_free_range (pool_id, first_num, last_num) VALUES (?, ?, ?)",
            poolId,
            first,
            last);
  }

  private void setLast(long poolId, long first, long last) {
    sql()
        .update(
            "UPDATE address_free_range SET last_num = ? WHERE pool_id = ? AND first_num = ?",
            last,
            poolId,
            first);
  }

  private void deleteRange(long poolId, long first) {
    sql()
        .update(
            "DELETE FROM address_free_range WHERE pool_id = ? AND first_num = ?", poolId, first);
  }

  private static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  static long num(Object o) {
    return ((Number) o).longValue();
  }

  private static AllocationRow row(Object[] r) {
    return new AllocationRow(
        num(r[0]),
        num(r[1]),
        (String) r[2],
        r[3] == null ? null : num(r[3]),
        num(r[4]),
        SqlValues.instant(r[5]),
        SqlValues.instant(r[6]));
  }
}
