package io.sluice.gateway;

import io.sluice.users.app.AccountSource;
import io.sluice.users.app.ProxyAccount;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The {@link CachingAuthenticator}'s accounts: users loaded by name behind a short-lived cache
 * (misses cached too, concurrent loads of one name share one query, loads run on the given
 * executor), the accounts with a source whitelist, and the last-known-good snapshot of every
 * account. Loads that fail or time out turn the {@link DataFreshness} stale and are answered from
 * what was known; an invalidated (revoked) user is refused until the database confirms the new
 * state.
 */
final class AccountCache {

  /** The authenticator's logger: load failures are its lines, and log settings name it. */
  private static final Logger LOG = System.getLogger(CachingAuthenticator.class.getName());

  private static final int MAX_ENTRIES = 50_000;

  /**
   * A loaded result; {@code revoked} marks a user an admin change invalidated: reloaded when the
   * database answers, refused while it does not.
   */
  private record Entry(Optional<ProxyAccount> account, Instant loadedAt, boolean revoked) {}

  private record SourceSnapshot(List<ProxyAccount> accounts, Instant loadedAt) {}

  private record FullSnapshot(Map<String, ProxyAccount> accounts, Instant loadedAt) {}

  private final AccountSource source;
  private final Executor executor;
  private final Clock clock;
  private final Duration ttl;
  private final Duration loadTimeout;
  private final Duration staleMax;
  private final DataFreshness freshness;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Optional<ProxyAccount>>> loading =
      new ConcurrentHashMap<>();
  private volatile SourceSnapshot sourceSnapshot;
  private volatile SourceSnapshot lastSourceSnapshot;
  private volatile FullSnapshot fullSnapshot;

  /** Bumped by every invalidation: a load that started before it must not be cached. */
  private final java.util.concurrent.atomic.AtomicLong epoch =
      new java.util.concurrent.atomic.AtomicLong();

  AccountCache(
      AccountSource source,
      Executor executor,
      Clock clock,
      Duration ttl,
      Duration loadTimeout,
      Duration staleMax,
      DataFreshness freshness) {
    this.source = source;
    this.executor = executor;
    this.clock = clock;
    this.ttl = ttl;
    this.loadTimeout = loadTimeout;
    this.staleMax = staleMax;
    this.freshness = freshness;
  }

  /** Forgets a user (after an admin change) so the next connection reloads it. */
  void invalidate(String username) {
    epoch.incrementAndGet();
    loading.remove(username);
    Entry old = cache.get(username);
    cache.put(
        username, new Entry(old == null ? Optional.empty() : old.account(), clock.instant(), true));
    sourceSnapshot = null;
  }

  /** Forgets every user (after a change that may touch any of them). */
  void invalidateAll() {
    epoch.incrementAndGet();
    loading.clear();
    cache.replaceAll((u, e) -> new Entry(e.account(), e.loadedAt(), true));
    FullSnapshot full = fullSnapshot;
    if (full != null) {
      // Every account is in doubt: none may be served from the snapshot before a reload.
      full.accounts()
          .keySet()
          .forEach(u -> cache.put(u, new Entry(Optional.empty(), clock.instant(), true)));
    }
    sourceSnapshot = null;
  }

  /**
   * Loads every account into the last-known-good snapshot (called periodically, off the event
   * loops). A failure turns the authenticator stale; the previous snapshot stays.
   */
  void refreshSnapshot(java.util.function.Supplier<List<ProxyAccount>> all) {
    long startedIn = epoch.get();
    Instant at = clock.instant();
    try {
      List<ProxyAccount> accounts = all.get();
      Map<String, ProxyAccount> byName = new java.util.HashMap<>();
      accounts.forEach(a -> byName.put(a.username(), a));
      if (epoch.get() == startedIn) {
        fullSnapshot = new FullSnapshot(Map.copyOf(byName), at);
      }
      freshness.markFresh();
    } catch (RuntimeException e) {
      freshness.markStale(e);
    }
  }

  /**
   * Called every {@link CachingAuthenticator#RETRY_INTERVAL}: reloads the snapshot when it is older
   * than {@code every}, and at once while stale (so the first tick after the database returns makes
   * it fresh).
   */
  void tick(java.util.function.Supplier<List<ProxyAccount>> all, Duration every) {
    FullSnapshot full = fullSnapshot;
    if (freshness.isStale()
        || full == null
        || !full.loadedAt().plus(every).isAfter(clock.instant())) {
      refreshSnapshot(all);
    }
  }

  /** Accounts in the last-known-good snapshot (the periodic one plus later loads). */
  int knownAccounts() {
    FullSnapshot full = fullSnapshot;
    java.util.Set<String> names = new java.util.HashSet<>(cache.keySet());
    if (full != null) {
      names.addAll(full.accounts().keySet());
    }
    return names.size();
  }

  /** What the authenticator knew of a user when the database does not answer. */
  private Optional<ProxyAccount> lastKnown(String username) {
    Instant now = clock.instant();
    if (freshness.expiredRefusing(now)) {
      return Optional.empty();
    }
    Entry e = cache.get(username);
    FullSnapshot full = fullSnapshot;
    if (e != null && (full == null || !e.loadedAt().isBefore(full.loadedAt()) || e.revoked())) {
      return e.revoked() ? Optional.empty() : e.account();
    }
    return full == null ? Optional.empty() : Optional.ofNullable(full.accounts().get(username));
  }

  /**
   * The account named {@code username}, if any: from the cache within the TTL, else loaded (one
   * query per name at a time), else, while the database does not answer, what was known.
   */
  CompletionStage<Optional<ProxyAccount>> account(String username) {
    Instant now = clock.instant();
    Entry e = cache.get(username);
    if (e != null && !e.revoked() && e.loadedAt().plus(ttl).isAfter(now)) {
      return CompletableFuture.completedFuture(e.account());
    }
    // While the database does not answer, one probe at a time tries it; everyone else is
    // answered at once from what was known.
    DataFreshness.Attempt attempt = freshness.begin(now);
    if (attempt == DataFreshness.Attempt.FROM_MEMORY) {
      return CompletableFuture.completedFuture(lastKnown(username));
    }
    boolean probe = attempt == DataFreshness.Attempt.PROBE;
    CompletableFuture<Optional<ProxyAccount>> f =
        loading.compute(
            username,
            (u, running) -> {
              // A finished load may still be listed for a moment (its removal runs after the
              // callers' continuations): only a running one is shared.
              if (running != null && !running.isDone()) {
                return running;
              }
              long startedIn = epoch.get();
              // The cache is filled before the result is handed on, and only if no invalidation
              // happened meanwhile: a load that raced with an admin change must not resurrect
              // the old account.
              return CompletableFuture.supplyAsync(
                  () -> {
                    Optional<ProxyAccount> result = source.byUsername(u);
                    if (epoch.get() == startedIn) {
                      if (cache.size() >= MAX_ENTRIES) {
                        evictOld();
                      }
                      cache.put(u, new Entry(result, clock.instant(), false));
                    }
                    freshness.markFresh();
                    return result;
                  },
                  executor);
            });
    // Attached outside compute: a load that already finished must not run the removal
    // inside the map's own compute (which would fail and leave the entry behind).
    f.whenComplete((result, error) -> {
      loading.remove(username, f);
      if (probe) {
        freshness.probeDone();
      }
      if (error != null) {
        // Not marked stale here: this runs on the loader's thread, possibly after the caller
        // got its answer and after a later load succeeded (it would turn a fresh state stale
        // again). The caller's handler below marks it, before the caller sees the answer.
        LOG.log(
            Level.WARNING, "SLUICE0200W: loading proxy user failed: " + error.getMessage(), error);
      }
    });
    return f.copy()
        .orTimeout(loadTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .handle((result, error) -> {
          if (error == null) {
            return result;
          }
          freshness.markStale(error);
          return lastKnown(username);
        });
  }

  /** Keeps the cache bounded: drops what is older than staleMax, then everything if need be. */
  private void evictOld() {
    Instant cutoff = clock.instant().minus(staleMax);
    cache.entrySet().removeIf(en -> en.getValue().loadedAt().isBefore(cutoff));
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear();
    }
  }

  /** The accounts with a source whitelist, reloaded after the TTL; the last known while stale. */
  CompletionStage<List<ProxyAccount>> sourceAccounts() {
    SourceSnapshot s = sourceSnapshot;
    if (s != null && s.loadedAt().plus(ttl).isAfter(clock.instant())) {
      return CompletableFuture.completedFuture(s.accounts());
    }
    if (freshness.retryNotDue(clock.instant())) {
      return CompletableFuture.completedFuture(lastSourceAccounts());
    }
    freshness.attempted(clock.instant());
    long startedIn = epoch.get();
    return CompletableFuture.supplyAsync(
            () -> {
              List<ProxyAccount> accounts = source.withSourceWhitelist();
              SourceSnapshot loaded = new SourceSnapshot(accounts, clock.instant());
              if (epoch.get() == startedIn) {
                sourceSnapshot = loaded;
              }
              lastSourceSnapshot = loaded;
              freshness.markFresh();
              return accounts;
            },
            executor)
        .orTimeout(loadTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .handle((accounts, error) -> {
          if (error == null) {
            return accounts;
          }
          freshness.markStale(error);
          return lastSourceAccounts();
        });
  }

  /** The last loaded source-whitelist accounts without revoked users; none once expired. */
  private List<ProxyAccount> lastSourceAccounts() {
    SourceSnapshot last = lastSourceSnapshot;
    if (last == null || freshness.expired(clock.instant())) {
      return List.of();
    }
    return last.accounts().stream()
        .filter(a -> {
          Entry e = cache.get(a.username());
          return e == null || !e.revoked();
        })
        .toList();
  }
}
