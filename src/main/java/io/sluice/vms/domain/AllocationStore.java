package io.sluice.vms.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The allocation state of pools: free IPv4 ranges (table {@code address_free_range}, the model is
 * {@link FreeRanges}) and allocation rows ({@code address_allocation}, unique per pool and
 * address). Callers own the transaction and hold the pool's lock ({@link
 * AddressPoolRepository#lock}) for every change.
 */
public interface AllocationStore {

  /** Takes the lowest free number of the pool (an index seek); empty when none is free. */
  OptionalLong takeLowest(long poolId);

  /** Takes one number (splitting its free range); false when it is not free. */
  boolean take(long poolId, long number);

  /** Adds {@code [first, last]} to the free numbers, merging with adjacent ranges. */
  void addFree(long poolId, long first, long last);

  /** Removes every free number in {@code [first, last]}. */
  void removeFree(long poolId, long first, long last);

  /** How many numbers are free (sums the ranges: for tests and checks, not the hot path). */
  long freeCount(long poolId);

  /**
   * Inserts an allocation row; false when the pool already has a row for the address (held or in
   * quarantine), without failing the transaction.
   */
  boolean insert(AllocationRow row);

  Optional<AllocationRow> find(long poolId, String address);

  /** Puts a held address into quarantine. */
  void markReleased(long poolId, String address, Instant at);

  void delete(long poolId, String address);

  /** Quarantined rows released at or before {@code before}, oldest first, at most {@code limit}. */
  List<AllocationRow> expired(long poolId, Instant before, int limit);

  /** How many addresses of the prefix are held (not quarantined). */
  long countHeld(long prefixId);

  /** The IPv4 numbers of every row (held or quarantined) of the prefixes, ascending. */
  long[] numbers(Collection<Long> prefixIds);

  /** Deletes the quarantined rows of a prefix; returns how many. */
  int deleteReleased(long prefixId);

  /** Moves the rows of some prefixes to another (after a supernet replaced them). */
  void movePrefix(Collection<Long> fromPrefixIds, long toPrefixId);

  /** Adds to the pool row's held and quarantined counts. */
  void count(long poolId, long heldDelta, long quarantinedDelta);
}
