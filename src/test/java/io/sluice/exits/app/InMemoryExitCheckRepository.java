package io.sluice.exits.app;

import io.sluice.exits.domain.ExitCheckEntity;
import io.sluice.exits.domain.ExitCheckRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@link ExitCheckRepository} in memory for unit tests, with the same newest-first order. */
final class InMemoryExitCheckRepository implements ExitCheckRepository {

  private static final Comparator<ExitCheckEntity> NEWEST_FIRST =
      Comparator.<ExitCheckEntity, java.time.Instant>comparing(c -> c.checkedAt)
          .thenComparing(c -> c.id)
          .reversed();

  final List<ExitCheckEntity> rows = new ArrayList<>();
  private long nextId = 1;

  @Override
  public void add(ExitCheckEntity check, int keep) {
    check.id = nextId++;
    rows.add(check);
    List<ExitCheckEntity> old = newest(check.exitId);
    rows.removeAll(old.subList(Math.min(keep, old.size()), old.size()));
  }

  @Override
  public List<ExitCheckEntity> newest(long exitId) {
    return rows.stream().filter(c -> c.exitId == exitId).sorted(NEWEST_FIRST).toList();
  }

  @Override
  public java.util.Map<Long, List<Integer>> successfulLatencies(
      java.util.Collection<Long> exitIds) {
    java.util.Map<Long, List<Integer>> out = new java.util.HashMap<>();
    for (long id : exitIds) {
      List<Integer> l =
          newest(id).stream()
              .filter(c -> c.healthy && c.latencyMs != null)
              .map(c -> c.latencyMs)
              .toList();
      if (!l.isEmpty()) {
        out.put(id, l);
      }
    }
    return out;
  }
}
