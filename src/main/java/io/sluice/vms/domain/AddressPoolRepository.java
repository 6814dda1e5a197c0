package io.sluice.vms.domain;

import java.util.List;
import java.util.Optional;

/**
 * Stored pools and prefixes ({@code address_pool}, {@code address_prefix}). Callers own the
 * transaction.
 */
public interface AddressPoolRepository {

  /** The writable fields of a pool row. */
  record PoolRow(
      String name, int family, String tier, long reuseHoldSeconds, List<String> reserved) {}

  /** Inserts a pool; returns its id. A taken name fails with a runtime exception. */
  long insert(PoolRow row);

  /** Inserts a prefix of a pool; returns it with its id. */
  PoolPrefix insertPrefix(long poolId, PoolPrefix prefix);

  void deletePrefixes(List<Long> prefixIds);

  /** Updates tier, hold and reserved entries. */
  void update(long poolId, String tier, long reuseHoldSeconds, List<String> reserved);

  boolean delete(long poolId);

  Optional<AddressPool> byId(long id);

  Optional<AddressPool> byName(String name);

  /**
   * Locks the pool's row until the transaction ends ({@code SELECT ... FOR UPDATE}), then reads it.
   */
  Optional<AddressPool> lock(long id);

  /** Every pool, ordered by id. */
  List<AddressPool> all();
}
