package io.sluice.gateway;

import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.engine.spi.AuthResult;
import io.sluice.engine.spi.Authenticator;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.ListenerTag;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.Routing;
import io.sluice.exits.domain.UsernameRouting;
import io.sluice.users.app.AccountSource;
import io.sluice.users.app.ProxyAccount;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
import java.util.function.Supplier;

/**
 * The front door's {@link Authenticator}: proxy users from the database behind a short-lived
 * in-memory cache (misses cached too), so a connection storm costs one query per username per TTL.
 * Concurrent loads of one username share one query. Loads run on the given executor, never on an
 * event loop. {@link #invalidate} drops a user at once when the admin API changes them.
 *
 * <p><b>Last known good.</b> Loaded accounts are kept after their TTL, beside a periodic snapshot
 * of every account ({@link #refreshSnapshot}). When a load fails or takes longer than the load
 * timeout (the database is unreachable), the authenticator turns <em>stale</em>: it answers from
 * what it knew for up to {@code staleMax} after the outage began, tries the database again at most
 * every {@link #RETRY_INTERVAL} (one load at a time), and turns fresh again with the first load
 * that succeeds. A user it never saw is refused at once (never left waiting), and a user
 * invalidated by an admin change (a revocation) is refused until the database confirms the new
 * state. One log line per state change.
 */
public final class CachingAuthenticator implements Authenticator {

  private static final Logger LOG = System.getLogger(CachingAuthenticator.class.getName());
  private static final int MAX_ENTRIES = 50_000;

  /** How often a stale authenticator tries the database again. */
  static final Duration RETRY_INTERVAL = Duration.ofSeconds(2);

  /**
   * A loaded result; {@code revoked} marks a user an admin change invalidated: reloaded when the
   * database answers, refused while it does not.
   */
  private record Entry(Optional<ProxyAccount> account, Instant loadedAt, boolean revoked) {}

  private record SourceSnapshot(List<ProxyAccount> accounts, Instant loadedAt) {}

  private record FullSnapshot(Map<String, ProxyAccount> accounts, Instant loadedAt) {}

  /** The principal of {@code account} for connections without routing parameters. */
  private record Plain(ProxyAccount account, ProxyPrincipal principal) {}

  private final AccountSource source;
  private final Executor executor;
  private final Clock clock;
  private final Duration ttl;
  private final Supplier<SourceWhitelist> globalWhitelist;
  private final java.util.function.Predicate<String> knownPool;
  private final Supplier<SourceWhitelist> clientWhitelist;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  /**
   * One principal per loaded account for connections without routing parameters (nearly all),
   * shared by its sessions instead of one per connection (each session keeps its principal for its
   * lifetime: 88 bytes per idle tunnel). Valid while the account is the same loaded instance.
   */
  private final Map<String, Plain> plain = new ConcurrentHashMap<>();

  private final Map<String, CompletableFuture<Optional<ProxyAccount>>> loading =
      new ConcurrentHashMap<>();
  private volatile SourceSnapshot sourceSnapshot;
  private volatile SourceSnapshot lastSourceSnapshot;
  private volatile FullSnapshot fullSnapshot;
  private final Duration loadTimeout;
  private final Duration staleMax;
  private final DataFreshness freshness;

  /** The username of the active VM with a source address, for the transparent listener. */
  private volatile java.util.function.Function<String, Optional<String>> vmOwner =
      address -> Optional.empty();

  /** Bumped by every invalidation: a load that started before it must not be cached. */
  private final java.util.concurrent.atomic.AtomicLong epoch =
      new java.util.concurrent.atomic.AtomicLong();

  public CachingAuthenticator(
      AccountSource source,
      Executor executor,
      Clock clock,
      Duration ttl,
      Supplier<SourceWhitelist> globalWhitelist,
      java.util.function.Predicate<String> knownPool,
      Supplier<SourceWhitelist> clientWhitelist) {
    this(
        source,
        executor,
        clock,
        ttl,
        globalWhitelist,
        knownPool,
        clientWhitelist,
        Duration.ofSeconds(1),
        Duration.ofSeconds(900));
  }

  /**
   * As above, with the time a load may take before the authenticator answers from what it knew
   * ({@code loadTimeout}) and how long after the database became unreachable it keeps doing so
   * ({@code staleMax}).
   */
  public CachingAuthenticator(
      AccountSource source,
      Executor executor,
      Clock clock,
      Duration ttl,
      Supplier<SourceWhitelist> globalWhitelist,
      java.util.function.Predicate<String> knownPool,
      Supplier<SourceWhitelist> clientWhitelist,
      Duration loadTimeout,
      Duration staleMax) {
    this.loadTimeout = loadTimeout;
    this.staleMax = staleMax;
    this.knownPool = knownPool;
    this.clientWhitelist = clientWhitelist;
    this.source = source;
    this.executor = executor;
    this.clock = clock;
    this.ttl = ttl;
    this.globalWhitelist = globalWhitelist;
    this.freshness = new DataFreshness(clock, staleMax, RETRY_INTERVAL);
  }

  @Override
  public CompletionStage<AuthResult> authenticate(
      ConnectionInfo connection, String rawUsername, String password) {
    if (!clientAllowed(connection)) {
      return reject(connection, "client address not in the proxy client whitelist");
    }
    UsernameRouting.Parsed parsed;
    try {
      parsed = UsernameRouting.parse(rawUsername);
    } catch (UsernameRouting.InvalidRouting e) {
      return reject(connection, "invalid username: " + e.getMessage());
    }
    String pool = parsed.routing().pool();
    return account(parsed.username())
        .thenApply(found -> {
          Instant now = clock.instant();
          if (found.isEmpty()) {
            return rejected(connection, "unknown user");
          }
          ProxyAccount a = found.get();
          if (!passwordMatches(a.password(), password)) {
            return rejected(connection, "wrong password for user " + a.username());
          }
          if (!a.usableAt(now)) {
            return rejected(connection, "user " + a.username() + " is disabled or expired");
          }
          if (!a.allowedClients().isEmpty()
              && !a.allowedClients().matches(connection.client().getAddress())) {
            return rejected(
                connection,
                "user "
                    + a.username()
                    + " may not connect from "
                    + connection.client().getAddress());
          }
          // Checked after the password, so pool names cannot be probed without credentials.
          if (pool != null && !knownPool.test(pool)) {
            return rejected(
                connection, "unknown pool '" + pool + "' in the username of " + a.username());
          }
          if (pool != null && !a.mayUsePool(pool)) {
            return rejected(
                connection, "user " + a.username() + " may not use pool '" + pool + "'");
          }
          if (!parsed.routing().isEmpty() && pool == null && a.defaultPool() == null) {
            return rejected(
                connection,
                "routing parameters "
                    + parsed.routing().names()
                    + " need a pool, and user "
                    + a.username()
                    + " has no default pool");
          }
          return admit(connection, principal(a, parsed.routing()));
        });
  }

  /**
   * Sets how the transparent listener's sources are found: the username of the active VM with a
   * source address (an IP literal), or empty. Blocking; called on the executor.
   */
  public CachingAuthenticator vmOwners(
      java.util.function.Function<String, Optional<String>> vmOwner) {
    this.vmOwner = vmOwner;
    return this;
  }

  @Override
  public CompletionStage<AuthResult> authenticateBySource(ConnectionInfo connection) {
    if (connection.listenerTag() instanceof ListenerTag.Transparent) {
      return byVm(connection);
    }
    var client = connection.client().getAddress();
    if (!clientAllowed(connection)) {
      return reject(connection, "client address not in the proxy client whitelist");
    }
    if (globalWhitelist.get().matches(client) && dedicatedOwner(connection) == null) {
      return CompletableFuture.completedFuture(AuthResult.accepted(ProxyPrincipal.anonymous()));
    }
    return sourceAccounts()
        .thenApply(accounts -> {
          Instant now = clock.instant();
          for (ProxyAccount a : accounts) {
            if (a.usableAt(now)
                && a.allowedSources().matches(client)
                && (a.allowedClients().isEmpty() || a.allowedClients().matches(client))) {
              Long owner = dedicatedOwner(connection);
              if (owner == null || owner == a.id()) {
                return AuthResult.accepted(principal(a, Routing.NONE));
              }
            }
          }
          return rejected(connection, "source address not whitelisted");
        });
  }

  /**
   * The transparent listener: the source address must be an active VM's; the VM's user is the
   * principal (with its default pool), if the account is usable. The proxy client whitelist and the
   * user's own client list do not apply: the firewall only redirects VM addresses here.
   */
  private CompletionStage<AuthResult> byVm(ConnectionInfo connection) {
    String address = connection.client().getAddress().getHostAddress();
    java.util.function.Function<String, Optional<String>> owners = vmOwner;
    return CompletableFuture.supplyAsync(() -> owners.apply(address), executor)
        .thenCompose(owner -> {
          if (owner.isEmpty()) {
            return reject(connection, "unknown source: no active VM has address " + address);
          }
          return account(owner.get())
              .thenApply(found -> {
                if (found.isEmpty() || !found.get().usableAt(clock.instant())) {
                  return rejected(
                      connection,
                      "user "
                          + owner.get()
                          + " of VM "
                          + address
                          + " is unknown, disabled or expired");
                }
                return AuthResult.accepted(principal(found.get(), Routing.NONE));
              });
        });
  }

  /** Forgets a user (after an admin change) so the next connection reloads it. */
  public void invalidate(String username) {
    epoch.incrementAndGet();
    loading.remove(username);
    Entry old = cache.get(username);
    cache.put(
        username, new Entry(old == null ? Optional.empty() : old.account(), clock.instant(), true));
    sourceSnapshot = null;
  }

  public void invalidateAll() {
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
  public void refreshSnapshot(java.util.function.Supplier<List<ProxyAccount>> all) {
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
   * Called every {@link #RETRY_INTERVAL}: reloads the snapshot when it is older than {@code every},
   * and at once while stale (so the first tick after the database returns makes it fresh).
   */
  public void tick(java.util.function.Supplier<List<ProxyAccount>> all, Duration every) {
    FullSnapshot full = fullSnapshot;
    if (freshness.isStale()
        || full == null
        || !full.loadedAt().plus(every).isAfter(clock.instant())) {
      refreshSnapshot(all);
    }
  }

  /** Seconds since the database stopped answering; 0 while it answers. */
  public long staleSeconds() {
    return freshness.staleSeconds();
  }

  /** {@code fresh}, {@code stale} (serving what it knew) or {@code expired} (past staleMax). */
  public String dataState() {
    return freshness.state();
  }

  /** Accounts in the last-known-good snapshot (the periodic one plus later loads). */
  public int knownAccounts() {
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

  private CompletionStage<Optional<ProxyAccount>> account(String username) {
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

  private CompletionStage<List<ProxyAccount>> sourceAccounts() {
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

  private boolean clientAllowed(ConnectionInfo c) {
    SourceWhitelist list = clientWhitelist.get();
    return list.isEmpty() || list.matches(c.client().getAddress());
  }

  /** On a dedicated port only its owner is admitted. */
  private static AuthResult admit(ConnectionInfo connection, ProxyPrincipal principal) {
    Long owner = dedicatedOwner(connection);
    if (owner != null && !owner.equals(principal.userId())) {
      return rejected(
          connection,
          "user "
              + principal.username()
              + " is not the owner of dedicated port "
              + connection.local().getPort());
    }
    return AuthResult.accepted(principal);
  }

  private static Long dedicatedOwner(ConnectionInfo c) {
    return c.listenerTag() instanceof ListenerTag.Dedicated d ? d.userId() : null;
  }

  private ProxyPrincipal principal(ProxyAccount a, Routing routing) {
    if (!routing.isEmpty()) {
      return newPrincipal(a, routing);
    }
    Plain p = plain.get(a.username());
    if (p != null && p.account() == a) {
      return p.principal();
    }
    ProxyPrincipal built = newPrincipal(a, Routing.NONE);
    if (plain.size() >= MAX_ENTRIES) {
      plain.clear();
    }
    plain.put(a.username(), new Plain(a, built));
    return built;
  }

  private static ProxyPrincipal newPrincipal(ProxyAccount a, Routing routing) {
    Routing effective =
        routing.pool() == null && a.defaultPool() != null
            ? routing.withPool(a.defaultPool())
            : routing;
    return new ProxyPrincipal(a.id(), a.username(), a.limits(), a.allowedDestinations(), effective);
  }

  private static boolean passwordMatches(String expected, String given) {
    if (expected == null || given == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  private static CompletionStage<AuthResult> reject(ConnectionInfo c, String reason) {
    return CompletableFuture.completedFuture(rejected(c, reason));
  }

  private static AuthResult rejected(ConnectionInfo c, String reason) {
    if (LOG.isLoggable(Level.DEBUG)) {
      LOG.log(Level.DEBUG, "[" + c.connectionId() + "] proxy auth rejected: " + reason);
    }
    return AuthResult.rejected(reason);
  }
}
