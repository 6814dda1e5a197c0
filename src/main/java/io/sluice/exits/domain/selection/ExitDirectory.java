package io.sluice.exits.domain.selection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An immutable snapshot of every pool, and exit selection over it. The host builds one when the
 * database (or health data) changes and publishes it atomically (a {@code volatile} field or an
 * {@code AtomicReference}); {@link #withPools} and {@link #withExit} derive the next one while
 * keeping the live parts: connection counts, the sticky-session table and the round-robin cursors
 * of pools that keep their name.
 *
 * <p>{@link #select} is thread-safe, non-blocking and allocation-light; it is called once per
 * connection attempt (again, with more excluded exits, on each retry).
 */
public final class ExitDirectory {

  /** At most this many fallback hops after the requested pool (each pool at most once). */
  public static final int MAX_FALLBACK_HOPS = 3;

  private record Pool(PoolSnapshot snapshot, AtomicInteger cursor) {}

  private final Map<String, Pool> pools;
  private final ConnectionCounts counts;
  private final StickySessions sticky;

  /**
   * @param pools the pools; names must be distinct; a fallback may name a pool that does not exist
   *     (selection then reports {@code unknown-pool} for that hop)
   * @param counts live connection counts (for {@code least-connections})
   * @param sticky the long-lived session table (requests with a session key, and {@code sticky})
   */
  public ExitDirectory(
      Collection<PoolSnapshot> pools, ConnectionCounts counts, StickySessions sticky) {
    this(pools, counts, sticky, Map.of());
  }

  private ExitDirectory(
      Collection<PoolSnapshot> pools,
      ConnectionCounts counts,
      StickySessions sticky,
      Map<String, Pool> previous) {
    this.counts = Objects.requireNonNull(counts, "counts");
    this.sticky = Objects.requireNonNull(sticky, "sticky");
    Map<String, Pool> map = new LinkedHashMap<>();
    for (PoolSnapshot p : pools) {
      Objects.requireNonNull(p, "pool");
      Pool old = previous.get(p.name());
      Pool pool = new Pool(p, old != null ? old.cursor() : new AtomicInteger());
      if (map.putIfAbsent(p.name(), pool) != null) {
        throw new IllegalArgumentException("pool '" + p.name() + "' given twice");
      }
    }
    this.pools = Collections.unmodifiableMap(map);
  }

  /** A directory without pools (every selection: {@code unknown-pool}). */
  public static ExitDirectory empty(ConnectionCounts counts, StickySessions sticky) {
    return new ExitDirectory(List.of(), counts, sticky);
  }

  /** A new snapshot of these pools, sharing counts, sticky sessions and same-named cursors. */
  public ExitDirectory withPools(Collection<PoolSnapshot> newPools) {
    return new ExitDirectory(newPools, counts, sticky, pools);
  }

  /**
   * A new snapshot in which every pool member with {@code updated.id()} is replaced by {@code
   * updated} (a health or latency change without a database reload); unchanged if no pool has it.
   */
  public ExitDirectory withExit(ExitView updated) {
    Objects.requireNonNull(updated, "updated");
    List<PoolSnapshot> next = new ArrayList<>(pools.size());
    boolean changed = false;
    for (Pool pool : pools.values()) {
      PoolSnapshot p = pool.snapshot();
      List<ExitView> members = p.members();
      int at = -1;
      for (int i = 0; i < members.size(); i++) {
        if (members.get(i).id() == updated.id()) {
          at = i;
          break;
        }
      }
      if (at < 0) {
        next.add(p);
      } else {
        List<ExitView> copy = new ArrayList<>(members);
        copy.set(at, updated);
        next.add(new PoolSnapshot(p.name(), p.strategy(), p.fallbackPool(), copy));
        changed = true;
      }
    }
    return changed ? withPools(next) : this;
  }

  /** The pool with this name. */
  public Optional<PoolSnapshot> pool(String name) {
    Pool p = name == null ? null : pools.get(name);
    return p == null ? Optional.empty() : Optional.of(p.snapshot());
  }

  /** Names of all pools, in the order given. */
  public Set<String> poolNames() {
    return pools.keySet();
  }

  public ConnectionCounts connectionCounts() {
    return counts;
  }

  public StickySessions stickySessions() {
    return sticky;
  }

  /** {@link #select}, without the reason. */
  public Optional<ExitView> selectExit(String poolName, SelectionRequest request) {
    return select(poolName, request).chosenExit();
  }

  /**
   * Chooses an exit of the pool for the request. Per pool of the chain: keep members in the
   * requested country (none there: {@code no-exit-in-country}, and the chain stops: never a silent
   * move to other countries), keep selectable ones (HEALTHY, SUSPECT), drop excluded ones, apply
   * the pool's strategy; a request with a session key keeps its session's exit while that stays
   * eligible, whatever the strategy ({@link StickySessions}). If nothing is left (empty pool, none
   * healthy, all excluded), try the pool's fallback pool, each pool at most once and at most
   * {@value #MAX_FALLBACK_HOPS} hops. Exclusions and the country apply along the whole chain.
   *
   * @param poolName the pool from the username ({@code pool-NAME}) or the user's default pool
   * @return the chosen exit with the pool that served it, or the reason there is none
   */
  public Selection select(String poolName, SelectionRequest request) {
    Objects.requireNonNull(request, "request");
    List<Selection.Attempt> attempts = null;
    String current = poolName;
    for (int hop = 0; ; hop++) {
      Pool pool = current == null ? null : pools.get(current);
      Selection.Reason reason;
      if (pool == null) {
        reason = Selection.Reason.UNKNOWN_POOL;
      } else {
        reason = Eligibility.whyNone(pool.snapshot(), request);
        if (reason == null) {
          ExitView chosen = choose(pool, request);
          if (chosen != null) {
            return new Selection.Chosen(chosen, current, attempts == null ? List.of() : attempts);
          }
          reason = Selection.Reason.NONE_HEALTHY; // unreachable: something was eligible
        }
      }
      if (attempts == null) {
        attempts = new ArrayList<>(MAX_FALLBACK_HOPS + 1);
      }
      attempts.add(new Selection.Attempt(current, reason));
      if (pool == null
          || reason == Selection.Reason.NO_EXIT_IN_COUNTRY
          || hop >= MAX_FALLBACK_HOPS) {
        break;
      }
      String next = pool.snapshot().fallbackPool();
      if (next == null || tried(attempts, next)) {
        break;
      }
      current = next;
    }
    return new Selection.Unavailable(attempts.get(0).reason(), poolName, attempts);
  }

  private static boolean tried(List<Selection.Attempt> attempts, String pool) {
    for (Selection.Attempt a : attempts) {
      if (pool.equals(a.pool())) {
        return true;
      }
    }
    return false;
  }

  /**
   * A request with a session key keeps the session's exit in every strategy; the strategy only
   * picks the first exit of a new (or moved) session.
   */
  private ExitView choose(Pool pool, SelectionRequest r) {
    PoolSnapshot p = pool.snapshot();
    if (r.sessionKey() != null && p.strategy() != Strategy.STICKY) {
      return sticky.pin(p, r, () -> byStrategy(pool, r));
    }
    return byStrategy(pool, r);
  }

  private ExitView byStrategy(Pool pool, SelectionRequest r) {
    PoolSnapshot p = pool.snapshot();
    return switch (p.strategy()) {
      case ROUND_ROBIN -> {
        int n = Eligibility.count(p, r);
        yield n == 0
            ? null
            : Eligibility.nth(p, r, Math.floorMod(pool.cursor().getAndIncrement(), n));
      }
      case RANDOM -> {
        int n = Eligibility.count(p, r);
        yield n == 0 ? null : Eligibility.nth(p, r, ThreadLocalRandom.current().nextInt(n));
      }
      case LEAST_CONNECTIONS -> leastConnections(p, r);
      case LEAST_LATENCY -> leastLatency(p, r);
      case HASH_DESTINATION ->
          Rendezvous.pick(
              p, r, Rendezvous.destinationKey(r.destinationHost(), r.destinationPort()));
      case STICKY -> sticky.pick(p, r);
    };
  }

  private ExitView leastConnections(PoolSnapshot p, SelectionRequest r) {
    List<ExitView> members = p.members();
    ExitView best = null;
    int bestActive = Integer.MAX_VALUE;
    for (int i = 0, n = members.size(); i < n; i++) {
      ExitView e = members.get(i);
      if (Eligibility.test(e, r)) {
        int active = counts.active(e.id());
        if (best == null || active < bestActive) {
          best = e;
          bestActive = active;
        }
      }
    }
    return best;
  }

  private static ExitView leastLatency(PoolSnapshot p, SelectionRequest r) {
    List<ExitView> members = p.members();
    ExitView best = null;
    for (int i = 0, n = members.size(); i < n; i++) {
      ExitView e = members.get(i);
      if (Eligibility.test(e, r)) {
        Long latency = e.latencyMillis();
        if (best == null
            || (latency != null
                && (best.latencyMillis() == null || latency < best.latencyMillis()))) {
          best = e;
        }
      }
    }
    return best;
  }
}
