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
 *
 * <p>This class decides who is admitted and builds their principals; the accounts and snapshots
 * live in {@link AccountCache}, the fresh / stale / expired state in {@link DataFreshness}.
 */
public final class CachingAuthenticator implements Authenticator {

  private static final Logger LOG = System.getLogger(CachingAuthenticator.class.getName());
  private static final int MAX_ENTRIES = 50_000;

  /** How often a stale authenticator tries the database again. */
  static final Duration RETRY_INTERVAL = Duration.ofSeconds(2);

  /** The principal of {@code account} for connections without routing parameters. */
  private record Plain(ProxyAccount account, ProxyPrincipal principal) {}

  private final Executor executor;
  private final Clock clock;
  private final Supplier<SourceWhitelist> globalWhitelist;
  private final java.util.function.Predicate<String> knownPool;
  private final Supplier<SourceWhitelist> clientWhitelist;

  /**
   * One principal per loaded account for connections without routing parameters (nearly all),
   * shared by its sessions instead of one per connection (each session keeps its principal for its
   * lifetime: 88 bytes per idle tunnel). Valid while the account is the same loaded instance.
   */
  private final Map<String, Plain> plain = new ConcurrentHashMap<>();

  private final DataFreshness freshness;
  private final AccountCache accounts;

  /** The username of the active VM with a source address, for the transparent listener. */
  private volatile java.util.function.Function<String, Optional<String>> vmOwner =
      address -> Optional.empty();

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
    this.knownPool = knownPool;
    this.clientWhitelist = clientWhitelist;
    this.executor = executor;
    this.clock = clock;
    this.globalWhitelist = globalWhitelist;
    this.freshness = new DataFreshness(clock, staleMax, RETRY_INTERVAL);
    this.accounts =
        new AccountCache(source, executor, clock, ttl, loadTimeout, staleMax, freshness);
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
    return accounts
        .account(parsed.username())
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
    return accounts
        .sourceAccounts()
        .thenApply(withSources -> {
          Instant now = clock.instant();
          for (ProxyAccount a : withSources) {
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
          return accounts
              .account(owner.get())
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
    accounts.invalidate(username);
  }

  public void invalidateAll() {
    accounts.invalidateAll();
  }

  /**
   * Loads every account into the last-known-good snapshot (called periodically, off the event
   * loops). A failure turns the authenticator stale; the previous snapshot stays.
   */
  public void refreshSnapshot(java.util.function.Supplier<List<ProxyAccount>> all) {
    accounts.refreshSnapshot(all);
  }

  /**
   * Called every {@link #RETRY_INTERVAL}: reloads the snapshot when it is older than {@code every},
   * and at once while stale (so the first tick after the database returns makes it fresh).
   */
  public void tick(java.util.function.Supplier<List<ProxyAccount>> all, Duration every) {
    accounts.tick(all, every);
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
    return accounts.knownAccounts();
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
