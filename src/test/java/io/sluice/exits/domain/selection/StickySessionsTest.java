package io.sluice.exits.domain.selection;

import static io.sluice.exits.domain.selection.Fixtures.chosenId;
import static io.sluice.exits.domain.selection.Fixtures.exits;
import static io.sluice.exits.domain.selection.Fixtures.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class StickySessionsTest {

  final Fixtures.MutableClock clock = new Fixtures.MutableClock();
  final StickySessions sticky = new StickySessions(clock, 1_000);
  final Duration ttl = Duration.ofMinutes(30);

  ExitDirectory directory(List<ExitView> members) {
    return new ExitDirectory(
        List.of(PoolSnapshot.of("s", Strategy.STICKY, members)), ConnectionCounts.NONE, sticky);
  }

  static List<ExitView> withState(List<ExitView> members, long id, ExitState state) {
    return members.stream().map(e -> e.id() == id ? e.withState(state) : e).toList();
  }

  @Test
  void sameKeySameExitAcrossDestinations() {
    var dir = directory(exits(1, 10));
    long first = chosenId(dir.select("s", session(7L, "abc", ttl)));
    for (int i = 0; i < 100; i++) {
      var r = new SelectionRequest(7L, "abc", ttl, null, "host" + i + ".example", 80 + i, Set.of());
      assertThat(chosenId(dir.select("s", r))).isEqualTo(first);
    }
    assertThat(sticky.exitOf("s", 7L, "abc")).hasValue(first);
    assertThat(sticky.size()).isEqualTo(1);
  }

  @Test
  void differentSessionsSpreadAndAreKeyedByUserToo() {
    var dir = directory(exits(1, 10));
    Set<Long> used = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      used.add(chosenId(dir.select("s", session(7L, "k" + i, ttl))));
    }
    assertThat(used).hasSize(10);
    dir.select("s", session(8L, "k0", ttl));
    dir.select("s", session(null, "k0", ttl));
    assertThat(sticky.size()).isEqualTo(202);
  }

  @Test
  void expiresAfterTtlSinceLastUse() {
    var dir = directory(exits(1, 10));
    dir.select("s", session(7L, "abc", ttl));
    clock.advance(Duration.ofMinutes(20));
    dir.select("s", session(7L, "abc", ttl)); // sliding: now valid until +50
    clock.advance(Duration.ofMinutes(25));
    assertThat(sticky.exitOf("s", 7L, "abc")).isPresent();
    clock.advance(Duration.ofMinutes(6));
    assertThat(sticky.exitOf("s", 7L, "abc")).isEmpty();
    assertThat(sticky.purgeExpired()).isEqualTo(1);
    assertThat(sticky.size()).isZero();
  }

  @Test
  void reassignedWhenTheExitGoesUnhealthyKeepsTheNewOneUntilExpiry() {
    List<ExitView> members = exits(1, 10);
    var dir = directory(members);
    long original = chosenId(dir.select("s", session(7L, "abc", ttl)));

    var degraded =
        dir.withPools(
            List.of(
                PoolSnapshot.of(
                    "s", Strategy.STICKY, withState(members, original, ExitState.UNHEALTHY))));
    long replacement = chosenId(degraded.select("s", session(7L, "abc", ttl)));
    assertThat(replacement).isNotEqualTo(original);
    assertThat(sticky.exitOf("s", 7L, "abc")).hasValue(replacement);

    // The original recovers: the session keeps the replacement.
    var recovered = degraded.withPools(List.of(PoolSnapshot.of("s", Strategy.STICKY, members)));
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofMinutes(10));
      assertThat(chosenId(recovered.select("s", session(7L, "abc", ttl)))).isEqualTo(replacement);
    }
    // After the TTL without use the session starts afresh (the hash prefers the original again).
    clock.advance(Duration.ofMinutes(31));
    assertThat(chosenId(recovered.select("s", session(7L, "abc", ttl)))).isEqualTo(original);
  }

  @Test
  void reassignedWhenTheExitIsExcludedAfterAFailedConnect() {
    var dir = directory(exits(1, 10));
    long original = chosenId(dir.select("s", session(7L, "abc", ttl)));
    var retry = session(7L, "abc", ttl).excluding(original);
    long replacement = chosenId(dir.select("s", retry));
    assertThat(replacement).isNotEqualTo(original);
    assertThat(chosenId(dir.select("s", session(7L, "abc", ttl)))).isEqualTo(replacement);
  }

  @Test
  void reassignedWhenTheExitLeavesThePool() {
    List<ExitView> members = exits(1, 10);
    var dir = directory(members);
    long original = chosenId(dir.select("s", session(7L, "abc", ttl)));
    var smaller =
        dir.withPools(
            List.of(
                PoolSnapshot.of(
                    "s",
                    Strategy.STICKY,
                    members.stream().filter(e -> e.id() != original).toList())));
    assertThat(chosenId(smaller.select("s", session(7L, "abc", ttl)))).isNotEqualTo(original);
  }

  @Test
  void withoutSessionKeyOneUserKeepsOneExit() {
    var dir = directory(exits(1, 10));
    Set<Long> perUser = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      var r = SelectionRequest.of(7L, "host" + i + ".example", 443);
      perUser.add(chosenId(dir.select("s", r)));
    }
    assertThat(perUser).hasSize(1);
    Set<Long> acrossUsers = new HashSet<>();
    for (long u = 1; u <= 200; u++) {
      acrossUsers.add(chosenId(dir.select("s", SelectionRequest.of(u, "x.example", 443))));
    }
    assertThat(acrossUsers).hasSize(10);
    assertThat(sticky.size()).as("no table entries without a session key").isZero();
  }

  @Test
  void tableIsBoundedAndEvictsExpiredFirst() {
    var small = new StickySessions(clock, 100);
    var dir =
        new ExitDirectory(
            List.of(PoolSnapshot.of("s", Strategy.STICKY, exits(1, 5))),
            ConnectionCounts.NONE,
            small);
    for (int i = 0; i < 60; i++) {
      dir.select("s", session(1L, "short" + i, Duration.ofMinutes(1)));
    }
    for (int i = 0; i < 40; i++) {
      dir.select("s", session(1L, "long" + i, Duration.ofMinutes(60)));
    }
    assertThat(small.size()).isEqualTo(100);
    clock.advance(Duration.ofMinutes(2));
    for (int i = 0; i < 50; i++) {
      dir.select("s", session(1L, "new" + i, Duration.ofMinutes(60)));
    }
    assertThat(small.size()).isEqualTo(90);
    for (int i = 0; i < 40; i++) {
      assertThat(small.exitOf("s", 1L, "long" + i)).as("live entries survive").isPresent();
    }
    for (int i = 0; i < 1_000; i++) {
      dir.select("s", session(2L, "flood" + i, Duration.ofMinutes(60)));
      assertThat(small.size()).isLessThanOrEqualTo(100);
    }
    assertThat(small.exitOf("s", 2L, "flood999")).as("the newest entry is kept").isPresent();
  }

  @Test
  void concurrentFirstUseAgreesOnOneExit() throws Exception {
    var dir = directory(exits(1, 50));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 50; round++) {
        String key = "race" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          results.add(
              pool.submit(() -> {
                start.await();
                return chosenId(dir.select("s", session(7L, key, ttl)));
              }));
        }
        start.countDown();
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        for (Future<Long> f : results) {
          ids.add(f.get());
        }
        assertThat(ids).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sessionsArePerPool() {
    var dir =
        new ExitDirectory(
            List.of(
                PoolSnapshot.of("a", Strategy.STICKY, exits(1, 10)),
                PoolSnapshot.of("b", Strategy.STICKY, exits(11, 20))),
            ConnectionCounts.NONE,
            sticky);
    assertThat(chosenId(dir.select("a", session(7L, "k", ttl)))).isBetween(1L, 10L);
    assertThat(chosenId(dir.select("b", session(7L, "k", ttl)))).isBetween(11L, 20L);
    assertThat(sticky.size()).isEqualTo(2);
    sticky.clear();
    assertThat(sticky.size()).isZero();
  }

  @Test
  void rejectsANonPositiveBound() {
    assertThatThrownBy(() -> new StickySessions(clock, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new StickySessions().maxEntries())
        .isEqualTo(StickySessions.DEFAULT_MAX_ENTRIES)
        .isEqualTo(100_000);
  }
}
