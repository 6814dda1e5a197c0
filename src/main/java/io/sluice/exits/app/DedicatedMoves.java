package io.sluice.exits.app;

import io.sluice.exits.domain.DedicatedAssignmentEntity;
import io.sluice.exits.domain.DedicatedReassignmentEntity;
import io.sluice.exits.domain.DedicatedRepository;
import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitPoolEntity;
import io.sluice.exits.domain.ExitRepository;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The transactional half of dedicated-port reassignment: each move is one transaction with the
 * assignment row locked, so when several nodes react to the same health change only the first moves
 * the port and the others find it already on a usable exit and do nothing. Events, metrics and logs
 * are the caller's ({@link DedicatedPortService}), after the commit.
 */
@ApplicationScoped
public class DedicatedMoves {

  @Inject DedicatedRepository repo;
  @Inject ExitRepository exits;

  /** A committed move of a dedicated port from one exit to another. */
  public record Move(
      long userId,
      int port,
      Long fromExitId,
      Long toExitId,
      String fromIp,
      String toIp,
      String reason) {}

  /** The outcome of trying to recover one port. */
  public sealed interface Outcome {
    /** The port moved. */
    record Moved(Move move) implements Outcome {}

    /** The port's exit is usable (already moved by another node, or recovered): nothing to do. */
    record Fine() implements Outcome {}

    /** The port stays without a usable exit and refuses sessions; {@code why} says why. */
    record Stuck(long userId, int port, String why) implements Outcome {}
  }

  /**
   * Why the pinned exit cannot carry sessions ({@code null}: it can): deleted, disabled or
   * unhealthy. A suspect exit still carries them.
   */
  public static String staleReason(Long exitId, ExitNodeEntity e) {
    if (exitId == null) {
      return "no exit";
    }
    if (e == null) {
      return "exit " + exitId + " deleted";
    }
    if (!e.enabled) {
      return "exit " + e.name + " disabled";
    }
    if (e.state == ExitState.UNHEALTHY) {
      return "exit " + e.name + " unhealthy";
    }
    return null;
  }

  /** The users whose dedicated port has no usable exit and may move ({@code auto}). */
  @Transactional
  public List<Long> stale() {
    Map<Long, ExitNodeEntity> byId = new HashMap<>();
    exits.allExits().forEach(e -> byId.put(e.id, e));
    List<Long> users = new java.util.ArrayList<>();
    for (DedicatedAssignmentEntity a : repo.all()) {
      if (staleReason(a.exitId, a.exitId == null ? null : byId.get(a.exitId)) != null) {
        users.add(a.userId);
      }
    }
    return users;
  }

  /**
   * Moves the user's port to a healthy exit of the user's default pool if its exit is stale and its
   * assignment says {@code auto}. One transaction; the assignment row is locked.
   *
   * @param poolName the user's default pool as the users feature has it ({@code null}: none), asked
   *     by the caller before the transaction
   */
  @Transactional
  public Outcome recover(long userId, String poolName) {
    DedicatedAssignmentEntity a = repo.lockByUser(userId).orElse(null);
    if (a == null) {
      return new Outcome.Fine(); // released meanwhile
    }
    ExitNodeEntity from = a.exitId == null ? null : exits.exit(a.exitId).orElse(null);
    String stale = staleReason(a.exitId, from);
    if (stale == null) {
      return new Outcome.Fine();
    }
    if (DedicatedAssignmentEntity.NEVER.equals(a.reassign)) {
      return new Outcome.Stuck(userId, a.port, stale + ", and reassign is never");
    }
    ExitPoolEntity pool = poolName == null ? null : exits.poolByName(poolName).orElse(null);
    if (pool == null) {
      return new Outcome.Stuck(
          userId,
          a.port,
          stale
              + (poolName == null
                  ? ", and the user has no default pool"
                  : ", and the user's default pool " + poolName + " does not exist"));
    }
    Optional<ExitNodeEntity> to = best(from, pool.members, assignmentsPerExit());
    if (to.isEmpty()) {
      return new Outcome.Stuck(
          userId, a.port, stale + ", and pool " + pool.name + " has no other healthy exit");
    }
    return new Outcome.Moved(move(a, from, to.get(), stale));
  }

  /** Pins the user's port to an exit the operator names (any kind, including {@code direct}). */
  @Transactional
  public Move pin(long userId, long exitId) {
    DedicatedAssignmentEntity a =
        repo.lockByUser(userId)
            .orElseThrow(() -> ApiException.notFound("assignment of user " + userId));
    ExitNodeEntity to =
        exits
            .exit(exitId)
            .orElseThrow(() -> ApiException.validation("exitId", "no exit with id " + exitId));
    if (Objects.equals(a.exitId, exitId)) {
      return null;
    }
    ExitNodeEntity from = a.exitId == null ? null : exits.exit(a.exitId).orElse(null);
    return move(a, from, to, "set by operator");
  }

  /** Sets {@code auto} or {@code never}; 404 when the user has no assignment. */
  @Transactional
  public void setReassign(long userId, String mode) {
    if (!DedicatedAssignmentEntity.AUTO.equals(mode)
        && !DedicatedAssignmentEntity.NEVER.equals(mode)) {
      throw ApiException.validation("reassign", "must be auto or never");
    }
    repo.lockByUser(userId)
            .orElseThrow(() -> ApiException.notFound("assignment of user " + userId))
            .reassign =
        mode;
  }

  /**
   * The best healthy, enabled exit other than {@code from}: same provider and country first, then
   * same country, then any; ties go to the exit carrying the fewest dedicated ports, then the
   * lowest id.
   */
  static Optional<ExitNodeEntity> best(
      ExitNodeEntity from, Iterable<ExitNodeEntity> members, Map<Long, Long> load) {
    Comparator<ExitNodeEntity> order =
        Comparator.<ExitNodeEntity>comparingInt(e -> affinity(from, e))
            .thenComparingLong(e -> load.getOrDefault(e.id, 0L))
            .thenComparingLong(e -> e.id);
    ExitNodeEntity chosen = null;
    for (ExitNodeEntity e : members) {
      boolean usable = e.enabled && e.state == ExitState.HEALTHY;
      boolean same = from != null && Objects.equals(from.id, e.id);
      if (usable && !same && (chosen == null || order.compare(e, chosen) < 0)) {
        chosen = e;
      }
    }
    return Optional.ofNullable(chosen);
  }

  /** 0: same provider and country, 1: same country, 2: anything else. */
  private static int affinity(ExitNodeEntity from, ExitNodeEntity e) {
    if (from == null) {
      return 2;
    }
    boolean sameCountry = from.country != null && from.country.equalsIgnoreCase(e.country);
    boolean sameProvider = from.providerId != null && from.providerId.equals(e.providerId);
    return sameCountry && sameProvider ? 0 : sameCountry ? 1 : 2;
  }

  private Map<Long, Long> assignmentsPerExit() {
    Map<Long, Long> load = new HashMap<>();
    for (DedicatedAssignmentEntity d : repo.all()) {
      if (d.exitId != null) {
        load.merge(d.exitId, 1L, Long::sum);
      }
    }
    return load;
  }

  private Move move(
      DedicatedAssignmentEntity a, ExitNodeEntity from, ExitNodeEntity to, String reason) {
    DedicatedReassignmentEntity r = new DedicatedReassignmentEntity();
    r.userId = a.userId;
    r.port = a.port;
    r.fromExitId = a.exitId;
    r.toExitId = to.id;
    r.fromIp = from == null ? null : from.actualIp;
    r.toIp = to.actualIp;
    r.reason = reason.length() > 200 ? reason.substring(0, 200) : reason;
    r.at = Instant.now();
    a.exitId = to.id;
    repo.addReassignment(r);
    return new Move(a.userId, a.port, r.fromExitId, r.toExitId, r.fromIp, r.toIp, r.reason);
  }

  /** The history entries as the API shows them. */
  static List<DedicatedPortService.Reassignment> view(List<DedicatedReassignmentEntity> rows) {
    return rows.stream()
        .map(r ->
            new DedicatedPortService.Reassignment(
                r.fromExitId, r.toExitId, r.fromIp, r.toIp, r.reason, r.at))
        .toList();
  }
}
