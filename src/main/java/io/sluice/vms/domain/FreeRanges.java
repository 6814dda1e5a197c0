package io.sluice.vms.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The free addresses of a pool as sorted, disjoint, non-adjacent {@code [first, last]} ranges over
 * address numbers (an IPv4 address as an unsigned 32-bit number in a long). Every operation is
 * {@code O(log r)} in the number of ranges, never in the number of addresses. The model that the
 * {@code address_free_range} table implements in SQL; not thread-safe.
 */
public final class FreeRanges {

  /** One range of free numbers, both ends included. */
  public record Range(long first, long last) {
    public Range {
      if (first > last) {
        throw new IllegalArgumentException("empty range " + first + "-" + last);
      }
    }

    public long size() {
      return last - first + 1;
    }
  }

  private final TreeMap<Long, Long> ranges = new TreeMap<>();
  private long count;

  /** Adds {@code [first, last]}, merging with overlapping and adjacent ranges. */
  public void add(long first, long last) {
    new Range(first, last);
    long lo = first;
    long hi = last;
    Map.Entry<Long, Long> before = ranges.floorEntry(lo);
    if (before != null && before.getValue() >= lo - 1) {
      lo = before.getKey();
      hi = Math.max(hi, before.getValue());
      remove(before.getKey());
    }
    Map.Entry<Long, Long> next = ranges.ceilingEntry(lo);
    while (next != null && next.getKey() <= hi + 1) {
      hi = Math.max(hi, next.getValue());
      remove(next.getKey());
      next = ranges.ceilingEntry(lo);
    }
    put(lo, hi);
  }

  /** Removes every number of {@code [first, last]} that is free (splitting ranges as needed). */
  public void remove(long first, long last) {
    new Range(first, last);
    Long from = ranges.floorKey(first);
    if (from == null || ranges.get(from) < first) {
      from = first;
    }
    List<Range> hit = new ArrayList<>();
    ranges.subMap(from, true, last, true).forEach((lo, hi) -> hit.add(new Range(lo, hi)));
    for (Range r : hit) {
      long lo = r.first();
      long hi = r.last();
      remove(lo);
      if (lo < first) {
        put(lo, first - 1);
      }
      if (hi > last) {
        put(last + 1, hi);
      }
    }
  }

  /** Takes the lowest free number; empty when nothing is free. */
  public OptionalLong takeLowest() {
    Map.Entry<Long, Long> e = ranges.firstEntry();
    if (e == null) {
      return OptionalLong.empty();
    }
    long n = e.getKey();
    remove(n);
    if (e.getValue() > n) {
      put(n + 1, e.getValue());
    }
    return OptionalLong.of(n);
  }

  /** Takes one given number, splitting its range; false when it is not free. */
  public boolean take(long n) {
    Map.Entry<Long, Long> e = ranges.floorEntry(n);
    if (e == null || e.getValue() < n) {
      return false;
    }
    remove(n, n);
    return true;
  }

  /**
   * Gives a number back, merging it with its neighbours.
   *
   * @throws IllegalStateException when it is already free
   */
  public void giveBack(long n) {
    if (contains(n)) {
      throw new IllegalStateException(n + " is already free");
    }
    add(n, n);
  }

  public boolean contains(long n) {
    Map.Entry<Long, Long> e = ranges.floorEntry(n);
    return e != null && e.getValue() >= n;
  }

  /** How many numbers are free. */
  public long count() {
    return count;
  }

  /** The ranges in ascending order. */
  public List<Range> ranges() {
    List<Range> out = new ArrayList<>(ranges.size());
    ranges.forEach((first, last) -> out.add(new Range(first, last)));
    return out;
  }

  private void put(long first, long last) {
    ranges.put(first, last);
    count += last - first + 1;
  }

  private void remove(long first) {
    Long last = ranges.remove(first);
    count -= last - first + 1;
  }
}
