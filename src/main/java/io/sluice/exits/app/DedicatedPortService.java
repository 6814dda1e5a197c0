package io.sluice.exits.app;

import io.sluice.exits.domain.DedicatedAssignmentEntity;
import io.sluice.exits.domain.DedicatedChanged;
import io.sluice.exits.domain.DedicatedReassigned;
import io.sluice.exits.domain.DedicatedRepository;
import io.sluice.exits.domain.ExitRepository;
import io.sluice.exits.domain.ExitsChanged;
import io.sluice.exits.domain.UserDefaultPools;
import io.sluice.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Get-or-assign of a user's dedicated port and sticky exit. Race-free across nodes sharing one
 * database: a candidate port is inserted under the table's primary key (one row per user) and
 * unique port; a loser re-reads (same user: the winner's pair) or tries the next free port.
 *
 * <p>Recovery: after every change of exits (a health round, a check, an edit) the ports whose exit
 * is unhealthy, disabled or deleted move to a healthy exit of their user's default pool when their
 * assignment says {@code reassign: auto} ({@link DedicatedMoves}, one locked transaction per port);
 * the others keep refusing sessions until their exit recovers.
 */
@ApplicationScoped
public class DedicatedPortService {

  private static final Logger LOG = System.getLogger(DedicatedPortService.class.getName());
  private static final int MAX_ATTEMPTS = 50;
  static final int HISTORY = 20;

  @Inject DedicatedRepository repo;
  @Inject ExitRepository exits;
  @Inject UserDefaultPools users;
  @Inject Event<DedicatedChanged> changed;
  @Inject Event<DedicatedReassigned> reassigned;
  @Inject DedicatedMoves moves;
  @Inject MetricRegistry metrics;

  private volatile Counter reassignments;

  /** Ports known to be stuck without a usable exit, with the reason last logged. */
  private final Map<Long, String> stuck = new ConcurrentHashMap<>();

  @Inject
  @ConfigProperty(name = "sluice.dedicated.ports", defaultValue = "10001-19999")
  String range;

  /** An assignment as the API shows it. */
  public record Assignment(
      long userId, int port, Long exitId, String reassign, Instant createdAt) {}

  /** An assignment with its newest moves (newest first, at most 20). */
  public record Detail(
      long userId,
      int port,
      Long exitId,
      String reassign,
      Instant createdAt,
      List<Reassignment> history) {}

  /** One move of a port, with the external IPs before and after. */
  public record Reassignment(
      Long fromExitId, Long toExitId, String fromIp, String toIp, String reason, Instant at) {}

  /** Returns the user's assignment, creating one if needed ({@code created} tells which). */
  public record Result(Assignment assignment, boolean created) {}

  public Result getOrAssign(long userId) {
    Optional<DedicatedAssignmentEntity> existing = repo.byUser(userId);
    if (existing.isPresent()) {
      return new Result(view(existing.get()), false);
    }
    Long poolId = defaultPool(userId);
    Long exitId = poolId == null ? null : repo.leastAssignedExit(poolId).orElse(null);
    int[] bounds = bounds();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      int port = firstFree(repo.usedPorts(), bounds, attempt);
      if (port < 0) {
        throw new ApiException(
            409,
            "ports-exhausted",
            "No free dedicated port",
            "every port in " + range + " is assigned",
            null);
      }
      try {
        DedicatedAssignmentEntity a = repo.insert(userId, port, exitId);
        changed.fire(new DedicatedChanged(userId, port, true));
        return new Result(view(a), true);
      } catch (RuntimeException lost) {
        Optional<DedicatedAssignmentEntity> winner = repo.byUser(userId);
        if (winner.isPresent()) {
          return new Result(view(winner.get()), false);
        }
        // another user took this port meanwhile: try again with a fresh view of the used ports
      }
    }
    throw new ApiException(
        503,
        "allocation-contention",
        "Allocation contention",
        "could not allocate a dedicated port after " + MAX_ATTEMPTS + " attempts; retry",
        null);
  }

  public Optional<Assignment> get(long userId) {
    return repo.byUser(userId).map(DedicatedPortService::view);
  }

  /** The assignment with its history; empty when the user has none. */
  public Optional<Detail> detail(long userId) {
    return repo.byUser(userId)
        .map(a ->
            new Detail(
                a.userId,
                a.port,
                a.exitId,
                a.reassign,
                a.createdAt,
                DedicatedMoves.view(repo.history(userId, HISTORY))));
  }

  /**
   * Changes {@code reassign} ({@code auto}/{@code never}) and/or pins the port to an exit the
   * operator names ({@code exitId}; an exit of kind {@code direct} is the only way a dedicated port
   * leaves directly). Setting {@code auto} on a port without a usable exit tries to move it at
   * once.
   */
  public Detail update(long userId, String reassign, Long exitId) {
    if (reassign != null) {
      moves.setReassign(userId, reassign);
    }
    if (exitId != null) {
      DedicatedMoves.Move m = moves.pin(userId, exitId);
      if (m != null) {
        announce(m);
      }
    }
    if (DedicatedAssignmentEntity.AUTO.equals(reassign)) {
      recover(userId);
    }
    return detail(userId).orElseThrow(() -> ApiException.notFound("assignment of user " + userId));
  }

  /** Exits changed (committed): move the ports whose exit can no longer carry them. */
  void exitsChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) ExitsChanged change) {
    try {
      recoverAll();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "SLUICE0642W: dedicated port recovery failed: " + e.getMessage(), e);
    }
  }

  /** Tries every port without a usable exit; returns how many moved. */
  public int recoverAll() {
    int moved = 0;
    List<Long> stale = moves.stale();
    stuck.keySet().retainAll(Set.copyOf(stale));
    for (Long userId : stale) {
      moved += recover(userId) ? 1 : 0;
    }
    return moved;
  }

  private boolean recover(long userId) {
    String pool;
    try {
      pool = users.defaultPoolOf(userId);
    } catch (ApiException gone) {
      return false; // the user is being deleted; the assignment goes with it
    }
    DedicatedMoves.Outcome o = moves.recover(userId, pool);
    if (o instanceof DedicatedMoves.Outcome.Moved m) {
      stuck.remove(userId);
      announce(m.move());
      return true;
    }
    if (o instanceof DedicatedMoves.Outcome.Stuck s) {
      if (!s.why().equals(stuck.put(userId, s.why()))) {
        LOG.log(
            Level.WARNING,
            "SLUICE0641W: dedicated port {0} of user {1} refuses sessions: {2}",
            new Object[] {s.port(), s.userId(), s.why()});
      }
    } else {
      stuck.remove(userId);
    }
    return false;
  }

  private void announce(DedicatedMoves.Move m) {
    LOG.log(
        Level.INFO,
        "SLUICE0640I: dedicated port {0} of user {1} moved from exit {2} ({3}) to exit {4} ({5}): {6}",
        new Object[] {
          m.port(), m.userId(), m.fromExitId(), m.fromIp(), m.toExitId(), m.toIp(), m.reason()
        });
    Counter c = reassignments;
    if (c == null && metrics != null) {
      c = reassignments = metrics.counter("sluice_dedicated_reassignments");
    }
    if (c != null) {
      c.inc();
    }
    reassigned.fire(
        new DedicatedReassigned(
            m.userId(), m.port(), m.fromExitId(), m.toExitId(), m.fromIp(), m.toIp(), m.reason()));
    changed.fire(new DedicatedChanged(m.userId(), m.port(), true));
  }

  public List<Assignment> all() {
    return repo.all().stream().map(DedicatedPortService::view).toList();
  }

  public boolean release(long userId) {
    Optional<DedicatedAssignmentEntity> a = repo.byUser(userId);
    if (a.isEmpty() || !repo.delete(userId)) {
      return false;
    }
    changed.fire(new DedicatedChanged(userId, a.get().port, false));
    return true;
  }

  /** The id of the user's default pool ({@code null}: none); 404 when there is no such user. */
  @Transactional
  Long defaultPool(long userId) {
    String name = users.defaultPoolOf(userId);
    return name == null ? null : exits.poolByName(name).map(p -> p.id).orElse(null);
  }

  /** The first free port, skipping {@code skip} free ports (spreads retries after lost races). */
  public static int firstFree(Set<Integer> used, int[] bounds, int skip) {
    int skipped = 0;
    for (int p = bounds[0]; p <= bounds[1]; p++) {
      if (!used.contains(p)) {
        if (skipped++ == skip) {
          return p;
        }
      }
    }
    return skip > 0 ? firstFree(used, bounds, 0) : -1;
  }

  int[] bounds() {
    String[] parts = range.trim().split("-");
    int lo = Integer.parseInt(parts[0].trim());
    int hi = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : lo;
    if (lo < 1 || hi > 65535 || lo > hi) {
      throw new IllegalStateException(
          "sluice.dedicated.ports must be LO-HI within 1-65535, was " + range);
    }
    return new int[] {lo, hi};
  }

  private static Assignment view(DedicatedAssignmentEntity a) {
    return new Assignment(a.userId, a.port, a.exitId, a.reassign, a.createdAt);
  }
}
