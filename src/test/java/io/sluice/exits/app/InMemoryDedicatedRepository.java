package io.sluice.exits.app;

import io.sluice.exits.domain.DedicatedAssignmentEntity;
import io.sluice.exits.domain.DedicatedReassignmentEntity;
import io.sluice.exits.domain.DedicatedRepository;
import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.selection.ExitState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * {@link DedicatedRepository} in memory for unit tests. Like the table, it refuses a second row for
 * a user and a second user on a port; {@link #beforeInsert} lets a test play a concurrent node that
 * wins a race just before an insert.
 */
final class InMemoryDedicatedRepository implements DedicatedRepository {

  final Map<Long, DedicatedAssignmentEntity> rows = new TreeMap<>();
  private final InMemoryExitRepository exits;

  /** Runs with the candidate port before each insert; {@code null}: nothing. */
  IntConsumer beforeInsert;

  int inserts;

  InMemoryDedicatedRepository(InMemoryExitRepository exits) {
    this.exits = exits;
    exits.dedicated = this;
  }

  @Override
  public Optional<DedicatedAssignmentEntity> byUser(long userId) {
    return Optional.ofNullable(rows.get(userId));
  }

  @Override
  public List<DedicatedAssignmentEntity> all() {
    List<DedicatedAssignmentEntity> all = new ArrayList<>(rows.values());
    all.sort(Comparator.comparingInt(a -> a.port));
    return all;
  }

  @Override
  public Set<Integer> usedPorts() {
    Set<Integer> used = new HashSet<>();
    rows.values().forEach(a -> used.add(a.port));
    return used;
  }

  @Override
  public DedicatedAssignmentEntity insert(long userId, int port, Long exitId) {
    inserts++;
    if (beforeInsert != null) {
      beforeInsert.accept(port);
    }
    return put(userId, port, exitId);
  }

  /** Inserts without the {@link #beforeInsert} hook (for set-up and simulated other nodes). */
  DedicatedAssignmentEntity put(long userId, int port, Long exitId) {
    if (rows.containsKey(userId)) {
      throw new IllegalStateException("duplicate key dedicated_assignment_pkey");
    }
    if (usedPorts().contains(port)) {
      throw new IllegalStateException("unique constraint dedicated_assignment_port_uq violated");
    }
    DedicatedAssignmentEntity a = new DedicatedAssignmentEntity();
    a.userId = userId;
    a.port = port;
    a.exitId = exitId;
    a.createdAt = Instant.now();
    rows.put(userId, a);
    return a;
  }

  @Override
  public boolean delete(long userId) {
    return rows.remove(userId) != null;
  }

  @Override
  public Optional<Long> leastAssignedExit(long poolId) {
    return exits.pool(poolId).stream()
        .flatMap(p -> p.members.stream())
        .filter(e -> e.enabled && e.state != ExitState.UNHEALTHY)
        .sorted(
            Comparator.<ExitNodeEntity>comparingLong(e -> count(e.id)).thenComparingLong(e -> e.id))
        .map(e -> e.id)
        .findFirst();
  }

  private long count(long exitId) {
    return rows.values().stream().filter(a -> Objects.equals(a.exitId, exitId)).count();
  }

  final List<DedicatedReassignmentEntity> moves = new ArrayList<>();

  /** Counts row locks taken (each stands for one transaction of a reassignment). */
  int locks;

  @Override
  public Optional<DedicatedAssignmentEntity> lockByUser(long userId) {
    locks++;
    return byUser(userId);
  }

  @Override
  public void addReassignment(DedicatedReassignmentEntity move) {
    move.id = (long) moves.size() + 1;
    moves.add(move);
  }

  @Override
  public List<DedicatedReassignmentEntity> history(long userId, int limit) {
    List<DedicatedReassignmentEntity> mine = new ArrayList<>();
    for (int i = moves.size() - 1; i >= 0 && mine.size() < limit; i--) {
      if (moves.get(i).userId == userId) {
        mine.add(moves.get(i));
      }
    }
    return mine;
  }
}
