package io.sluice.exits.app;

import io.sluice.exits.domain.DedicatedAssignmentEntity;
import io.sluice.exits.domain.DedicatedChanged;
import io.sluice.exits.domain.DedicatedRepository;
import io.sluice.exits.domain.ExitRepository;
import io.sluice.exits.domain.UserDefaultPools;
import io.sluice.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Get-or-assign of a user's dedicated port and sticky exit. Race-free across nodes sharing one
 * database: a candidate port is inserted under the table's primary key (one row per user) and
 * unique port; a loser re-reads (same user: the winner's pair) or tries the next free port.
 */
@ApplicationScoped
public class DedicatedPortService {

  private static final int MAX_ATTEMPTS = 50;

  @Inject DedicatedRepository repo;
  @Inject ExitRepository exits;
  @Inject UserDefaultPools users;
  @Inject Event<DedicatedChanged> changed;

  @Inject
  @ConfigProperty(name = "sluice.dedicated.ports", defaultValue = "10001-19999")
  String range;

  /** An assignment as the API shows it. */
  public record Assignment(long userId, int port, Long exitId, Instant createdAt) {}

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
    return new Assignment(a.userId, a.port, a.exitId, a.createdAt);
  }
}
