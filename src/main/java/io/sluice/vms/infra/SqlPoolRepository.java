package io.sluice.vms.infra;

import static io.sluice.vms.infra.SqlAllocationStore.num;

import io.sluice.platform.db.Sql;
import io.sluice.platform.db.SqlValues;
import io.sluice.vms.domain.AddressPool;
import io.sluice.vms.domain.AddressPoolRepository;
import io.sluice.vms.domain.PoolPrefix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link AddressPoolRepository} in SQL on {@code address_pool} and {@code address_prefix}. An empty
 * tier or reserved list is stored as {@code ''} (no null parameters).
 */
public class SqlPoolRepository implements AddressPoolRepository {

  private static final String POOL =
      "SELECT id, name, family, tier, reuse_hold_seconds, reserved, used_count, quarantined_count, "
          + "created_at FROM address_pool";

  private final Sql fixed;

  /** On one {@link Sql} (tests and tools). */
  public SqlPoolRepository(Sql sql) {
    this.fixed = sql;
  }

  /** The {@link Sql} of the current transaction. */
  protected Sql sql() {
    return fixed;
  }

  @Override
  public long insert(PoolRow row) {
    long id = num(sql().rows("SELECT nextval('address_pool_seq')").get(0)[0]);
    sql()
        .update(
            "INSERT INTO address_pool (id, name, family, tier, reuse_hold_seconds, reserved, "
                + "used_count, quarantined_count, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?)",
            id,
            row.name(),
            row.family(),
            row.tier() == null ? "" : row.tier(),
            row.reuseHoldSeconds(),
            String.join(",", row.reserved()),
            Instant.now());
    return id;
  }

  @Override
  public PoolPrefix insertPrefix(long poolId, PoolPrefix p) {
    long id = num(sql().rows("SELECT nextval('address_prefix_seq')").get(0)[0]);
    sql()
        .update(
            "INSERT INTO address_prefix (id, pool_id, cidr, family, prefix_length, gateway, usable, "
                + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            id,
            poolId,
            p.cidr(),
            p.family(),
            p.prefixLength(),
            p.gateway(),
            p.usable(),
            Instant.now());
    return new PoolPrefix(id, p.cidr(), p.family(), p.prefixLength(), p.gateway(), p.usable());
  }

  @Override
  public void deletePrefixes(List<Long> prefixIds) {
    if (!prefixIds.isEmpty()) {
      sql()
          .update(
              "DELETE FROM address_prefix WHERE id IN ("
                  + String.join(", ", Collections.nCopies(prefixIds.size(), "?"))
                  + ")",
              prefixIds.toArray());
    }
  }

  @Override
  public void update(long poolId, String tier, long reuseHoldSeconds, List<String> reserved) {
    sql()
        .update(
            "UPDATE address_pool SET tier = ?, reuse_hold_seconds = ?, reserved = ? WHERE id = ?",
            tier == null ? "" : tier,
            reuseHoldSeconds,
            String.join(",", reserved),
            poolId);
  }

  @Override
  public boolean delete(long poolId) {
    // The free ranges, allocations and prefixes go with the pool (ON DELETE CASCADE).
    return sql().update("DELETE FROM address_pool WHERE id = ?", poolId) > 0;
  }

  @Override
  public Optional<AddressPool> byId(long id) {
    return first(pools(POOL + " WHERE id = ?", id));
  }

  @Override
  public Optional<AddressPool> byName(String name) {
    return first(pools(POOL + " WHERE name = ?", name));
  }

  @Override
  public Optional<AddressPool> lock(long id) {
    return first(pools(POOL + " WHERE id = ? FOR UPDATE", id));
  }

  @Override
  public List<AddressPool> all() {
    return pools(POOL + " ORDER BY id");
  }

  private static Optional<AddressPool> first(List<AddressPool> pools) {
    return pools.isEmpty() ? Optional.empty() : Optional.of(pools.get(0));
  }

  private List<AddressPool> pools(String query, Object... params) {
    List<Object[]> rows = sql().rows(query, params);
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<Long, List<PoolPrefix>> prefixes = new HashMap<>();
    String ids = rows.size() == 1 ? " WHERE pool_id = " + num(rows.get(0)[0]) : "";
    for (Object[] p :
        sql()
            .rows(
                "SELECT pool_id, id, cidr, family, prefix_length, gateway, usable FROM address_prefix"
                    + ids
                    + " ORDER BY id")) {
      prefixes
          .computeIfAbsent(num(p[0]), k -> new ArrayList<>())
          .add(
              new PoolPrefix(
                  num(p[1]),
                  (String) p[2],
                  (int) num(p[3]),
                  (int) num(p[4]),
                  (String) p[5],
                  num(p[6])));
    }
    List<AddressPool> out = new ArrayList<>();
    for (Object[] r : rows) {
      String tier = (String) r[3];
      String reserved = (String) r[5];
      out.add(
          new AddressPool(
              num(r[0]),
              (String) r[1],
              (int) num(r[2]),
              tier == null || tier.isEmpty() ? null : tier,
              num(r[4]),
              reserved == null || reserved.isEmpty()
                  ? List.of()
                  : Arrays.stream(reserved.split(",")).map(String::trim).toList(),
              List.copyOf(prefixes.getOrDefault(num(r[0]), List.of())),
              num(r[6]),
              num(r[7]),
              SqlValues.instant(r[8])));
    }
    return out;
  }
}
