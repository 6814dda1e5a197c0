package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.engine.spi.AuthResult;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.UserLimits;
import io.sluice.users.app.AccountSource;
import io.sluice.users.app.ProxyAccount;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CachingAuthenticatorTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final Map<String, ProxyAccount> db = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private volatile CountDownLatch loadGate;
  private volatile CountDownLatch loadStarted;

  private final AccountSource source =
      new AccountSource() {
        @Override
        public Optional<ProxyAccount> byUsername(String username) {
          loads.incrementAndGet();
          Optional<ProxyAccount> snapshot = Optional.ofNullable(db.get(username));
          if (loadGate != null) {
            loadStarted.countDown();
            try {
              loadGate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return snapshot;
        }

        @Override
        public List<ProxyAccount> withSourceWhitelist() {
          return db.values().stream().filter(a -> !a.allowedSources().isEmpty()).toList();
        }

        @Override
        public List<ProxyAccount> enabled() {
          return List.copyOf(db.values());
        }
      };

  private final CachingAuthenticator auth =
      new CachingAuthenticator(
          source,
          pool,
          Clock.systemUTC(),
          Duration.ofMinutes(5),
          () -> SourceWhitelist.parse("192.0.2.0/24"),
          pool -> pool.equals("residential"),
          () -> SourceWhitelist.EMPTY);

  private static final ConnectionInfo FROM_LOCAL = conn("127.0.0.1");

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static ConnectionInfo conn(String ip) {
    return new ConnectionInfo(
        "c1", new InetSocketAddress(ip, 40000), "socks", new InetSocketAddress("127.0.0.1", 1080));
  }

  private static ProxyAccount account(
      long id, String name, String pw, boolean enabled, Instant expires, String sources) {
    return new ProxyAccount(
        id,
        name,
        pw,
        enabled,
        expires,
        UserLimits.UNLIMITED,
        sources == null ? SourceWhitelist.EMPTY : SourceWhitelist.parse(sources),
        List.of(),
        null,
        java.util.Set.of(),
        SourceWhitelist.EMPTY);
  }

  private AuthResult login(String user, String pw) throws Exception {
    return auth.authenticate(FROM_LOCAL, user, pw).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void acceptsTheRightPasswordAndCachesIncludingMisses() throws Exception {
    db.put("alice", account(1, "alice", "pw-1", true, null, null));
    assertThat(login("alice", "pw-1")).isInstanceOf(AuthResult.Accepted.class);
    assertThat(login("alice", "nope")).isInstanceOf(AuthResult.Rejected.class);
    assertThat(login("ghost", "x")).isInstanceOf(AuthResult.Rejected.class);
    assertThat(login("ghost", "x")).isInstanceOf(AuthResult.Rejected.class);
    assertThat(loads.get()).isEqualTo(2);
    AuthResult.Accepted ok = (AuthResult.Accepted) login("alice", "pw-1");
    assertThat(ok.principal().userId()).isEqualTo(1L);
    assertThat(ok.principal().username()).isEqualTo("alice");
  }

  @Test
  void disabledAndExpiredUsersAreRejected() throws Exception {
    db.put("off", account(2, "off", "pw", false, null, null));
    db.put("old", account(3, "old", "pw", true, Instant.now().minusSeconds(1), null));
    assertThat(login("off", "pw")).isInstanceOf(AuthResult.Rejected.class);
    assertThat(login("old", "pw")).isInstanceOf(AuthResult.Rejected.class);
  }

  @Test
  void connectionsWithoutRoutingShareOnePrincipalUntilTheAccountIsReloaded() throws Exception {
    db.put("amy", account(7, "amy", "pw", true, null, null));
    var first = ((AuthResult.Accepted) login("amy", "pw")).principal();
    assertThat(((AuthResult.Accepted) login("amy", "pw")).principal()).isSameAs(first);
    // routing parameters make a principal of their own
    var routed = ((AuthResult.Accepted) login("amy-pool-residential", "pw")).principal();
    assertThat(routed).isNotSameAs(first);
    assertThat(routed.routing().pool()).isEqualTo("residential");
    // a reloaded account (new limits) gets a new principal that carries them
    db.put(
        "amy",
        new ProxyAccount(
            7,
            "amy",
            "pw",
            true,
            null,
            new UserLimits(5, 0, 0, 0),
            SourceWhitelist.EMPTY,
            List.of("10.0.0.0/8"),
            null,
            java.util.Set.of(),
            SourceWhitelist.EMPTY));
    auth.invalidate("amy");
    var reloaded = ((AuthResult.Accepted) login("amy", "pw")).principal();
    assertThat(reloaded).isNotSameAs(first);
    assertThat(reloaded.limits().maxConnections()).isEqualTo(5);
    assertThat(reloaded.allowDestinations()).containsExactly("10.0.0.0/8");
    assertThat(((AuthResult.Accepted) login("amy", "pw")).principal()).isSameAs(reloaded);
  }

  @Test
  void invalidateForcesAReload() throws Exception {
    db.put("bob", account(4, "bob", "old", true, null, null));
    assertThat(login("bob", "old")).isInstanceOf(AuthResult.Accepted.class);
    db.put("bob", account(4, "bob", "new", true, null, null));
    assertThat(login("bob", "old")).as("still cached").isInstanceOf(AuthResult.Accepted.class);
    auth.invalidate("bob");
    assertThat(login("bob", "old")).isInstanceOf(AuthResult.Rejected.class);
    assertThat(login("bob", "new")).isInstanceOf(AuthResult.Accepted.class);
  }

  @Test
  void aLoadThatRacesWithAnInvalidationIsNotCached() throws Exception {
    db.put("eve", account(5, "eve", "old", true, null, null));
    loadGate = new CountDownLatch(1);
    loadStarted = new CountDownLatch(1);
    var pending = auth.authenticate(FROM_LOCAL, "eve", "old").toCompletableFuture();
    assertThat(loadStarted.await(5, TimeUnit.SECONDS)).isTrue();
    db.put("eve", account(5, "eve", "new", true, null, null)); // the admin rotates meanwhile
    auth.invalidate("eve");
    loadGate.countDown();
    assertThat(pending.get(5, TimeUnit.SECONDS)).isInstanceOf(AuthResult.Accepted.class);
    loadGate = null;
    assertThat(login("eve", "old"))
        .as("stale load must not have been cached")
        .isInstanceOf(AuthResult.Rejected.class);
  }

  @Test
  void routingParametersNeedAKnownPool() throws Exception {
    db.put("carol", account(6, "carol", "pw", true, null, null));
    AuthResult ok = login("carol-pool-residential-session-s1", "pw");
    assertThat(((AuthResult.Accepted) ok).principal().routing())
        .isEqualTo(new io.sluice.engine.spi.Routing("residential", null, "s1", null));
    assertThat(login("carol-pool-datacenter", "pw"))
        .as("unknown pool")
        .isInstanceOf(AuthResult.Rejected.class);
    assertThat(login("carol-colour-red", "pw"))
        .as("unknown key")
        .isInstanceOf(AuthResult.Rejected.class);
    assertThat(login("carol-session-s1", "pw"))
        .as("no pool and no default pool")
        .isInstanceOf(AuthResult.Rejected.class);
  }

  @Test
  void allowedPoolsAreEnforced() throws Exception {
    db.put(
        "dan",
        new ProxyAccount(
            12,
            "dan",
            "pw",
            true,
            null,
            UserLimits.UNLIMITED,
            SourceWhitelist.EMPTY,
            List.of(),
            null,
            java.util.Set.of("other"),
            SourceWhitelist.EMPTY));
    assertThat(login("dan-pool-residential", "pw")).isInstanceOf(AuthResult.Rejected.class);
    db.put(
        "fay",
        new ProxyAccount(
            13,
            "fay",
            "pw",
            true,
            null,
            UserLimits.UNLIMITED,
            SourceWhitelist.EMPTY,
            List.of(),
            null,
            java.util.Set.of("residential"),
            SourceWhitelist.EMPTY));
    assertThat(login("fay-pool-residential", "pw")).isInstanceOf(AuthResult.Accepted.class);
  }

  @Test
  void dedicatedPortAdmitsOnlyItsOwner() throws Exception {
    db.put("owner", account(10, "owner", "pw", true, null, null));
    db.put("other", account(11, "other", "pw", true, null, null));
    ConnectionInfo dedicated =
        new ConnectionInfo(
            "c2",
            new InetSocketAddress("127.0.0.1", 40000),
            "dedicated-10",
            new InetSocketAddress("127.0.0.1", 10001));
    assertThat(auth.authenticate(dedicated, "owner", "pw").toCompletableFuture().get())
        .isInstanceOf(AuthResult.Accepted.class);
    assertThat(auth.authenticate(dedicated, "other", "pw").toCompletableFuture().get())
        .isInstanceOf(AuthResult.Rejected.class);
  }

  @Test
  void sourceWhitelistGlobalAndPerUser() throws Exception {
    db.put("office", account(7, "office", "pw", true, null, "203.0.113.0/24"));
    AuthResult global =
        auth.authenticateBySource(conn("192.0.2.7")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(((AuthResult.Accepted) global).principal().isAnonymous()).isTrue();
    AuthResult perUser =
        auth.authenticateBySource(conn("203.0.113.9"))
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    assertThat(((AuthResult.Accepted) perUser).principal().userId()).isEqualTo(7L);
    AuthResult none =
        auth.authenticateBySource(conn("198.51.100.1"))
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    assertThat(none).isInstanceOf(AuthResult.Rejected.class);
  }

  @Test
  void clockIsUsedForExpiry() {
    Clock fixed = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    ProxyAccount a = account(8, "x", "pw", true, Instant.parse("2029-12-31T23:59:59Z"), null);
    assertThat(a.usableAt(fixed.instant())).isFalse();
    assertThat(a.toString()).doesNotContain("pw");
  }

  @Test
  void theTransparentListenerKnowsSourcesOnlyAsActiveVms() throws Exception {
    db.put("vic", account(21, "vic", "pw", true, null, null));
    db.put("off", account(22, "off", "pw", false, null, null));
    auth.vmOwners(address ->
        switch (address) {
          case "10.77.0.2" -> Optional.of("vic");
          case "10.77.0.3" -> Optional.of("off");
          default -> Optional.empty();
        });
    AuthResult vm = auth.authenticateBySource(transparent("10.77.0.2")).toCompletableFuture().get();
    assertThat(vm)
        .isInstanceOfSatisfying(
            AuthResult.Accepted.class, a -> assertThat(a.principal().userId()).isEqualTo(21L));
    // a whitelisted address that is no VM's, and a VM whose user is disabled, are refused
    assertThat(auth.authenticateBySource(transparent("192.0.2.7")).toCompletableFuture().get())
        .isInstanceOfSatisfying(
            AuthResult.Rejected.class, r -> assertThat(r.reason()).contains("unknown source"));
    assertThat(auth.authenticateBySource(transparent("10.77.0.3")).toCompletableFuture().get())
        .isInstanceOf(AuthResult.Rejected.class);
  }

  private static ConnectionInfo transparent(String ip) {
    return new ConnectionInfo(
        "c2",
        new InetSocketAddress(ip, 40000),
        io.sluice.engine.spi.ListenerTag.TRANSPARENT,
        new InetSocketAddress("10.77.0.1", 15001));
  }
}
