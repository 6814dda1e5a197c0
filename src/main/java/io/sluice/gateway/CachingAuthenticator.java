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
 */
public final class CachingAuthenticator implements Authenticator {

  private static final Logger LOG = System.getLogger(CachingAuthenticator.class.getName());
  private static final int MAX_ENTRIES = 50_000;

  private record Entry(Optional<ProxyAccount> account, Instant loadedAt) {}

  private record SourceSnapshot(List<ProxyAccount> accounts, Instant loadedAt) {}

  private final AccountSource source;
  private final Executor executor;
  private final Clock clock;
  private final Duration ttl;
  private final Supplier<SourceWhitelist> globalWhitelist;
  private final java.util.function.Predicate<String> knownPool;
  private final Supplier<SourceWhitelist> clientWhitelist;
  private final java.util.function.Function<String, Optional<String>> vmOwner;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Optional<ProxyAccount>>> loading =
      new ConcurrentHashMap<>();
  private volatile SourceSnapshot sourceSnapshot;

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
        address -> Optional.empty());
  }

  /**
   * @param vmOwner the username of the active VM with a source address (an IP literal), for the
   *     transparent listener; blocking, called on {@code executor}
   */
  public CachingAuthenticator(
      AccountSource source,
      Executor executor,
      Clock clock,
      Duration ttl,
      Supplier<SourceWhitelist> globalWhitelist,
      java.util.function.Predicate<String> knownPool,
      Supplier<SourceWhitelist> clientWhitelist,
      java.util.function.Function<String, Optional<String>> vmOwner) {
    this.vmOwner = vmOwner;
    this.knownPool = knownPool;
    this.clientWhitelist = clientWhitelist;
    this.source = source;
    this.executor = executor;
    this.clock = clock;
    this.ttl = ttl;
    this.globalWhitelist = globalWhitelist;
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
    return CompletableFuture.supplyAsync(() -> vmOwner.apply(address), executor)
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
    cache.remove(username);
    sourceSnapshot = null;
  }

  public void invalidateAll() {
    epoch.incrementAndGet();
    loading.clear();
    cache.clear();
    sourceSnapshot = null;
  }

  private CompletionStage<Optional<ProxyAccount>> account(String username) {
    Entry e = cache.get(username);
    if (e != null && e.loadedAt().plus(ttl).isAfter(clock.instant())) {
      return CompletableFuture.completedFuture(e.account());
    }
    CompletableFuture<Optional<ProxyAccount>> f =
        loading.computeIfAbsent(
            username,
            u -> {
              long startedIn = epoch.get();
              // The cache is filled before the result is handed on, and only if no invalidation
              // happened
              // meanwhile: a load that raced with an admin change must not resurrect the old
              // account.
              return CompletableFuture.supplyAsync(
                  () -> {
                    Optional<ProxyAccount> result = source.byUsername(u);
                    if (epoch.get() == startedIn) {
                      if (cache.size() >= MAX_ENTRIES) {
                        cache.clear();
                      }
                      cache.put(u, new Entry(result, clock.instant()));
                    }
                    return result;
                  },
                  executor);
            });
    // Attached outside computeIfAbsent: a load that already finished must not run the removal
    // inside the map's own compute (which would fail and leave the entry behind).
    f.whenComplete((result, error) -> {
      loading.remove(username, f);
      if (error != null) {
        LOG.log(
            Level.WARNING, "SLUICE0200W: loading proxy user failed: " + error.getMessage(), error);
      }
    });
    return f;
  }

  private CompletionStage<List<ProxyAccount>> sourceAccounts() {
    SourceSnapshot s = sourceSnapshot;
    if (s != null && s.loadedAt().plus(ttl).isAfter(clock.instant())) {
      return CompletableFuture.completedFuture(s.accounts());
    }
    long startedIn = epoch.get();
    return CompletableFuture.supplyAsync(
        () -> {
          List<ProxyAccount> accounts = source.withSourceWhitelist();
          if (epoch.get() == startedIn) {
            sourceSnapshot = new SourceSnapshot(accounts, clock.instant());
          }
          return accounts;
        },
        executor);
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

  private static ProxyPrincipal principal(ProxyAccount a, Routing routing) {
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
