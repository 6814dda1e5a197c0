package io.sluice.exits.domain;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Dedicated-port assignments. Every method runs in its own transaction so the allocator can retry
 * after losing a race: the database's primary key (one row per user) and unique port decide the
 * winner; except the few marked "in the caller's transaction", which a reassignment uses to move a
 * port under a row lock.
 */
public interface DedicatedRepository {

  Optional<DedicatedAssignmentEntity> byUser(long userId);

  /** Every assignment, ordered by port. */
  List<DedicatedAssignmentEntity> all();

  /** The ports of every assignment. */
  Set<Integer> usedPorts();

  /** Inserts; fails (rolled back) if the user already has a port or the port is taken. */
  DedicatedAssignmentEntity insert(long userId, int port, Long exitId);

  /** Removes the user's assignment; {@code false} when there was none. */
  boolean delete(long userId);

  /**
   * The enabled, not unhealthy exit of the pool that currently carries the fewest dedicated
   * assignments (ties: lowest id); empty when the pool has none.
   */
  Optional<Long> leastAssignedExit(long poolId);

  /**
   * The user's assignment, locked for update until the caller's transaction ends (in the caller's
   * transaction): a second node moving the same port waits, then sees the first node's move.
   */
  Optional<DedicatedAssignmentEntity> lockByUser(long userId);

  /** Records a move (in the caller's transaction). */
  void addReassignment(DedicatedReassignmentEntity move);

  /** The newest moves of the user's port, newest first, at most {@code limit}. */
  List<DedicatedReassignmentEntity> history(long userId, int limit);
}
