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
import java.time.ZoneId;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The last-known-good data plane: what the authenticator does while the database throws or hangs,
 * with a clock the test moves.
 */
class CachingAuthenticatorStaleTest {

  enum Db {
    UP,
    THROWS,
    HANGS
  }

  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final Map<String, ProxyAccount> db = new ConcurrentHashMap<>();
  private final AtomicReference<Db> state = new AtomicReference<>(Db.UP);
  private final AtomicInteger loads = new AtomicInteger();
  private final CountDownLatch hang = new CountDownLatch(1);
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T12:00:00Z"));

  private final AccountSource source =
      new AccountSource() {
        @Override
        public Optional<ProxyAccount> byUsername(String username) {
          loads.incrementAndGet();
          database();
          return Optional.ofNullable(db.get(username));
        }

        @Override
        public List<ProxyAccount> withSourceWhitelist() {
          database();
          return db.values().stream().filter(a -> !a.allowedSources().isEmpty()).toList();
        }

        @Override
        public List<ProxyAccount> enabled() {
          database();
          return db.values().stream().filter(ProxyAccount::enabled).toList();
        }
      };

  private final CachingAuthenticator auth =
      new CachingAuthenticator(
          source,
          pool,
          clock,
          Duration.ofSeconds(5),
          () -> SourceWhitelist.EMPTY,
          p -> true,
          () -> SourceWhitelist.EMPTY,
          Duration.ofMillis(300),
          Duration.ofSeconds(900));

  @AfterEach
  void stop() {
    hang.countDown();
    pool.shutdownNow();
  }

  private void database() {
    switch (state.get()) {
      case UP -> {}
      case THROWS -> throw new IllegalStateException("Connection refused (database down)");
      case HANGS -> {
        try {
          hang.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("Read timed out");
      }
    }
  }

  private static ProxyAccount account(long id, String name, String pw, String sources) {
    return new ProxyAccount(
        id,
        name,
        pw,
        true,
        null,
        UserLimits.UNLIMITED,
        sources == null ? SourceWhitelist.EMPTY : SourceWhitelist.parse(sources),
        List.of(),
        null,
        java.util.Set.of(),
        SourceWhitelist.EMPTY);
  }

  private AuthResult login(String user, String pw) throws Exception {
    ConnectionInfo c =
        new ConnectionInfo(
            "c1",
            new InetSocketAddress("127.0.0.1", 40000),
            "socks",
            new InetSocketAddress("127.0.0.1", 1080));
    return auth.authenticate(c, user, pw).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void aKnownUserIsServedFromTheSnapshotWhileTheDatabaseThrows() throws Exception {
    db.put("alice", account(1, "alice", "pw-a", null));
    auth.refreshSnapshot(source::enabled);
    assertThat(auth.dataState()).isEqualTo("fresh");

    state.set(Db.THROWS);
    assertThat(login("alice", "pw-a")).isInstanceOf(AuthResult.Accepted.class);
    assertThat(auth.dataState()).isEqualTo("stale");
    assertThat(login("alice", "wrong")).isInstanceOf(AuthResult.Rejected.class);
    assertThat(login("ghost", "pw")).isInstanceOf(AuthResult.Rejected.class);
    clock.advance(Duration.ofSeconds(42));
    assertThat(auth.staleSeconds()).isEqualTo(42);
    assertThat(login("alice", "pw-a")).isInstanceOf(AuthResult.Accepted.class);
  }

  @Test
  void aHangingDatabaseIsAnsweredWithinTheLoadTimeout() throws Exception {
    db.put("alice", account(1, "alice", "pw-a", null));
    auth.refreshSnapshot(source::enabled);
    state.set(Db.HANGS);

    long t0 = System.nanoTime();
    assertThat(login("alice", "pw-a")).isInstanceOf(AuthResult.Accepted.class);
    assertThat(login("nobody", "pw")).isInstanceOf(AuthResult.Rejected.class);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    // The first waits for the 300 ms load timeout, the second is answered at once (no probe is
    // due yet): far below the 10 s the database would hang.
    assertThat(tookMs).isLessThan(3_000);
    assertThat(auth.dataState()).isEqualTo("stale");
  }

  @Test
  void whileStaleOnlyOneProbeEveryRetryIntervalReachesTheDatabase() throws Exception {
    db.put("alice", account(1, "alice", "pw-a", null));
    auth.refreshSnapshot(source::enabled);
    state.set(Db.THROWS);
    login("alice", "pw-a");
    int before = loads.get();
    for (int i = 0; i < 20; i++) {
      assertThat(login("alice", "pw-a")).isInstanceOf(AuthResult.Accepted.class);
    }
    assertThat(loads.get()).isEqualTo(before);
    clock.advance(CachingAuthenticator.RETRY_INTERVAL.plusMillis(1));
    login("alice", "pw-a");
    assertThat(loads.get()).isEqualTo(before + 1);
  }

  @Test
  void aRevocationSeenBeforeTheOutageIsHonouredDuringIt() throws Exception {
    db.put("alice", account(1, "alice", "pw-a", null));
    db.put("bob", account(2, "bob", "pw-b", null));
    auth.refreshSnapshot(source::enabled);
    assertThat(login("bob", "pw-b")).isInstanceOf(AuthResult.Accepted.class);

    auth.invalidate("bob"); // an admin disabled bob; the database then goes down
    auth.invalidate("alice");
    state.set(Db.THROWS);
    assertThat(login("bob", "pw-b")).isInstanceOf(AuthResult.Rejected.class);
    assertThat(login("alice", "pw-a")).isInstanceOf(AuthResult.Rejected.class);
  }

  @Test
  void aLaterLoadBeatsTheOlderSnapshot() throws Exception {
    db.put("alice", account(1, "alice", "old", null));
    auth.refreshSnapshot(source::enabled);
    clock.advance(Duration.ofSeconds(1));
    db.put("alice", account(1, "alice", "new", null));
    assertThat(login("alice", "new")).isInstanceOf(AuthResult.Accepted.class);

    state.set(Db.THROWS);
    clock.advance(Duration.ofSeconds(10)); // past the TTL: only the last known state is left
    assertThat(login("alice", "new")).isInstanceOf(AuthResult.Accepted.class);
    assertThat(login("alice", "old")).isInstanceOf(AuthResult.Rejected.class);
  }

  @Test
  void pastStaleMaxEveryoneIsRefusedAndTheStateSaysExpired() throws Exception {
    db.put("alice", account(1, "alice", "pw-a", null));
    auth.refreshSnapshot(source::enabled);
    state.set(Db.THROWS);
    assertThat(login("alice", "pw-a")).isInstanceOf(AuthResult.Accepted.class);
    clock.advance(Duration.ofSeconds(901));
    assertThat(login("alice", "pw-a")).isInstanceOf(AuthResult.Rejected.class);
    assertThat(auth.dataState()).isEqualTo("expired");
  }

  @Test
  void theFirstLoadThatSucceedsMakesItFreshAgain() throws Exception {
    db.put("alice", account(1, "alice", "pw-a", null));
    auth.refreshSnapshot(source::enabled);
    state.set(Db.THROWS);
    login("alice", "pw-a");
    assertThat(auth.dataState()).isEqualTo("stale");

    state.set(Db.UP);
    db.put("carol", account(3, "carol", "pw-c", null)); // created while the node was stale
    clock.advance(CachingAuthenticator.RETRY_INTERVAL.plusSeconds(1));
    assertThat(login("carol", "pw-c")).isInstanceOf(AuthResult.Accepted.class);
    assertThat(auth.dataState()).isEqualTo("fresh");
    assertThat(auth.staleSeconds()).isZero();
  }

  @Test
  void aFailingSnapshotRefreshKeepsThePreviousSnapshot() throws Exception {
    db.put("alice", account(1, "alice", "pw-a", null));
    auth.refreshSnapshot(source::enabled);
    state.set(Db.THROWS);
    auth.refreshSnapshot(source::enabled);
    assertThat(auth.dataState()).isEqualTo("stale");
    assertThat(auth.knownAccounts()).isEqualTo(1);
    assertThat(login("alice", "pw-a")).isInstanceOf(AuthResult.Accepted.class);
  }

  @Test
  void sourceWhitelistAccountsAreServedFromTheLastLoadWhileStale() throws Exception {
    db.put("svc", account(9, "svc", "pw", "198.51.100.0/24"));
    ConnectionInfo fromSvc =
        new ConnectionInfo(
            "c2",
            new InetSocketAddress("198.51.100.7", 40000),
            "socks",
            new InetSocketAddress("127.0.0.1", 1080));
    assertThat(auth.authenticateBySource(fromSvc).toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(AuthResult.Accepted.class);
    state.set(Db.THROWS);
    clock.advance(Duration.ofSeconds(10));
    assertThat(auth.authenticateBySource(fromSvc).toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(AuthResult.Accepted.class);
    auth.invalidate("svc");
    assertThat(auth.authenticateBySource(fromSvc).toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(AuthResult.Rejected.class);
  }

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    private final AtomicReference<Instant> now;

    MovableClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    void advance(Duration d) {
      now.updateAndGet(i -> i.plus(d));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
