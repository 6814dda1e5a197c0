package io.sluice.exits.domain.selection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An immutable pool: a named set of exits, the strategy that chooses among them, and an optional
 * fallback pool used when none of its exits is selectable. Members are kept ordered by id
 * (strategies break ties by id); an exit may belong to several pools.
 *
 * @param name the pool name (as given in {@code pool-NAME} and as a user's default pool)
 * @param strategy how to choose among the eligible members
 * @param fallbackPool name of the pool to try when none of this pool's exits is selectable, or
 *     {@code null}
 * @param members the exits; copied and sorted by id; ids must be distinct
 */
public record PoolSnapshot(
    String name, Strategy strategy, String fallbackPool, List<ExitView> members) {

  public PoolSnapshot {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("pool name must not be blank");
    }
    Objects.requireNonNull(strategy, "strategy");
    if (fallbackPool != null && fallbackPool.isBlank()) {
      fallbackPool = null;
    }
    List<ExitView> sorted = new ArrayList<>(Objects.requireNonNull(members, "members"));
    sorted.sort(Comparator.comparingLong(ExitView::id));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).id() == sorted.get(i - 1).id()) {
        throw new IllegalArgumentException(
            "pool '" + name + "' lists exit " + sorted.get(i).id() + " twice");
      }
    }
    members = List.copyOf(sorted);
  }

  /** A pool without fallback. */
  public static PoolSnapshot of(String name, Strategy strategy, List<ExitView> members) {
    return new PoolSnapshot(name, strategy, null, members);
  }
}
