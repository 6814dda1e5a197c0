package io.sluice.exits.domain.selection;

import static io.sluice.exits.domain.selection.Fixtures.chosenId;
import static io.sluice.exits.domain.selection.Fixtures.directory;
import static io.sluice.exits.domain.selection.Fixtures.exit;
import static io.sluice.exits.domain.selection.Fixtures.exits;
import static io.sluice.exits.domain.selection.Fixtures.inCountry;
import static io.sluice.exits.domain.selection.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.exits.domain.selection.Selection.Attempt;
import io.sluice.exits.domain.selection.Selection.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Country filter, exclusions, reasons and the fallback chain. */
class ExitDirectoryTest {

  static Selection.Unavailable unavailable(Selection s) {
    assertThat(s).isInstanceOf(Selection.Unavailable.class);
    assertThat(s.chosenExit()).isEmpty();
    return (Selection.Unavailable) s;
  }

  static Selection.Chosen chosen(Selection s) {
    assertThat(s).isInstanceOf(Selection.Chosen.class);
    return (Selection.Chosen) s;
  }

  @Test
  void countryFilterKeepsOnlyThatCountry() {
    var dir =
        directory(
            PoolSnapshot.of(
                "p",
                Strategy.ROUND_ROBIN,
                List.of(exit(1, "us"), exit(2, "de"), exit(3, "de"), exit(4, (String) null))));
    for (int i = 0; i < 20; i++) {
      assertThat(chosenId(dir.select("p", inCountry("DE")))).isIn(2L, 3L);
    }
  }

  @Test
  void noExitInCountryIsEmptyNotASilentFallback() {
    var dir =
        directory(
            new PoolSnapshot(
                "p", Strategy.RANDOM, "backup", List.of(exit(1, "us"), exit(2, (String) null))),
            PoolSnapshot.of("backup", Strategy.RANDOM, List.of(exit(3, "de"))));
    var u = unavailable(dir.select("p", inCountry("de")));
    assertThat(u.reason()).isEqualTo(Reason.NO_EXIT_IN_COUNTRY);
    assertThat(u.pool()).isEqualTo("p");
    assertThat(u.attempts()).containsExactly(new Attempt("p", Reason.NO_EXIT_IN_COUNTRY));
    assertThat(u.describe()).isEqualTo("no-exit-in-country (p: no-exit-in-country)");
    assertThat(dir.selectExit("p", inCountry("de"))).isEmpty();
  }

  @Test
  void unhealthyCountryExitsGoToTheFallbackInTheSameCountry() {
    var dir =
        directory(
            new PoolSnapshot(
                "p",
                Strategy.RANDOM,
                "backup",
                List.of(exit(1, "us"), exit(2, "de").withState(ExitState.UNHEALTHY))),
            PoolSnapshot.of("backup", Strategy.RANDOM, List.of(exit(3, "us"), exit(4, "de"))));
    for (int i = 0; i < 20; i++) {
      var c = chosen(dir.select("p", inCountry("de")));
      assertThat(c.exit().id()).isEqualTo(4);
      assertThat(c.pool()).isEqualTo("backup");
      assertThat(c.viaFallback()).isTrue();
      assertThat(c.skipped()).containsExactly(new Attempt("p", Reason.NONE_HEALTHY));
    }
  }

  @Test
  void fallbackUsedWhenNoneHealthyButNotOtherwise() {
    var dir =
        directory(
            new PoolSnapshot(
                "p",
                Strategy.ROUND_ROBIN,
                "backup",
                List.of(exit(1, ExitState.UNHEALTHY), exit(2, ExitState.DISABLED))),
            new PoolSnapshot(
                "q", Strategy.ROUND_ROBIN, "backup", List.of(exit(5, ExitState.SUSPECT))),
            PoolSnapshot.of("backup", Strategy.ROUND_ROBIN, List.of(exit(9))));
    assertThat(chosen(dir.select("p", request())).exit().id()).isEqualTo(9);
    var q = chosen(dir.select("q", request()));
    assertThat(q.exit().id()).isEqualTo(5);
    assertThat(q.pool()).isEqualTo("q");
    assertThat(q.viaFallback()).isFalse();
  }

  @Test
  void exclusionsApplyAlongTheChainAndExhaustTheRetryBudget() {
    var dir =
        directory(
            new PoolSnapshot(
                "p", Strategy.LEAST_LATENCY, "backup", List.of(exit(1, 10L), exit(2, 20L))),
            PoolSnapshot.of("backup", Strategy.LEAST_LATENCY, List.of(exit(2, 20L), exit(3, 30L))));
    var r = request();
    assertThat(chosenId(dir.select("p", r))).isEqualTo(1);
    r = r.excluding(1);
    assertThat(chosenId(dir.select("p", r))).isEqualTo(2);
    r = r.excluding(2);
    var c = chosen(dir.select("p", r));
    assertThat(c.exit().id()).isEqualTo(3);
    assertThat(c.skipped()).containsExactly(new Attempt("p", Reason.ALL_EXCLUDED));
    r = r.excluding(3);
    var u = unavailable(dir.select("p", r));
    assertThat(u.reason()).isEqualTo(Reason.ALL_EXCLUDED);
    assertThat(u.attempts())
        .containsExactly(
            new Attempt("p", Reason.ALL_EXCLUDED), new Attempt("backup", Reason.ALL_EXCLUDED));
  }

  @Test
  void emptyAndUnknownPools() {
    var dir =
        directory(
            new PoolSnapshot("empty", Strategy.RANDOM, "nowhere", List.of()),
            new PoolSnapshot(
                "dead", Strategy.RANDOM, "empty", List.of(exit(1, ExitState.UNHEALTHY))));
    assertThat(unavailable(dir.select("missing", request())).attempts())
        .containsExactly(new Attempt("missing", Reason.UNKNOWN_POOL));
    assertThat(unavailable(dir.select(null, request())).reason()).isEqualTo(Reason.UNKNOWN_POOL);
    var u = unavailable(dir.select("dead", request()));
    assertThat(u.reason()).isEqualTo(Reason.NONE_HEALTHY);
    assertThat(u.attempts())
        .containsExactly(
            new Attempt("dead", Reason.NONE_HEALTHY),
            new Attempt("empty", Reason.EMPTY_POOL),
            new Attempt("nowhere", Reason.UNKNOWN_POOL));
    assertThat(u.describe())
        .isEqualTo("none-healthy (dead: none-healthy, empty: empty-pool, nowhere: unknown-pool)");
    assertThat(
            ExitDirectory.empty(ConnectionCounts.NONE, new StickySessions()).select("x", request()))
        .isInstanceOf(Selection.Unavailable.class);
  }

  @Test
  void fallbackCyclesAreGuarded() {
    var dead = List.of(exit(1, ExitState.UNHEALTHY));
    var dir =
        directory(
            new PoolSnapshot("a", Strategy.RANDOM, "b", dead),
            new PoolSnapshot("b", Strategy.RANDOM, "a", dead),
            new PoolSnapshot("self", Strategy.RANDOM, "self", dead));
    assertThat(unavailable(dir.select("a", request())).attempts())
        .extracting(Attempt::pool)
        .containsExactly("a", "b");
    assertThat(unavailable(dir.select("b", request())).attempts())
        .extracting(Attempt::pool)
        .containsExactly("b", "a");
    assertThat(unavailable(dir.select("self", request())).attempts())
        .extracting(Attempt::pool)
        .containsExactly("self");
  }

  /** Pools p0 -> p1 -> ... -> p(n-1); only the last has a healthy exit. */
  static ExitDirectory chain(int n) {
    List<PoolSnapshot> pools = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean last = i == n - 1;
      pools.add(
          new PoolSnapshot(
              "p" + i,
              Strategy.ROUND_ROBIN,
              last ? null : "p" + (i + 1),
              List.of(exit(100 + i, last ? ExitState.HEALTHY : ExitState.UNHEALTHY))));
    }
    return new ExitDirectory(pools, ConnectionCounts.NONE, new StickySessions());
  }

  @Test
  void fallbackDepthIsBounded() {
    assertThat(ExitDirectory.MAX_FALLBACK_HOPS).isEqualTo(3);
    var ok = chosen(chain(4).select("p0", request()));
    assertThat(ok.exit().id()).isEqualTo(103);
    assertThat(ok.skipped()).hasSize(3);
    var tooDeep = unavailable(chain(5).select("p0", request()));
    assertThat(tooDeep.attempts())
        .extracting(Attempt::pool)
        .containsExactly("p0", "p1", "p2", "p3");
  }

  @Test
  void withExitAppliesAHealthChangeToEveryPool() {
    var dir =
        directory(
            PoolSnapshot.of("a", Strategy.LEAST_LATENCY, List.of(exit(1, 5L), exit(2, 50L))),
            PoolSnapshot.of("b", Strategy.LEAST_LATENCY, List.of(exit(1, 5L), exit(3, 60L))));
    assertThat(chosenId(dir.select("a", request()))).isEqualTo(1);
    var next = dir.withExit(exit(1, 5L).withState(ExitState.UNHEALTHY));
    assertThat(chosenId(next.select("a", request()))).isEqualTo(2);
    assertThat(chosenId(next.select("b", request()))).isEqualTo(3);
    assertThat(chosenId(dir.select("a", request()))).as("old snapshot unchanged").isEqualTo(1);
    assertThat(dir.withExit(exit(77))).isSameAs(dir);
    assertThat(next.poolNames()).containsExactly("a", "b");
    assertThat(next.pool("b").orElseThrow().members().get(0).state())
        .isEqualTo(ExitState.UNHEALTHY);
    assertThat(next.stickySessions()).isSameAs(dir.stickySessions());
  }

  @Test
  void exitInSeveralPoolsExcludedEverywhere() {
    var dir =
        directory(
            new PoolSnapshot("a", Strategy.HASH_DESTINATION, "b", exits(1, 2)),
            PoolSnapshot.of("b", Strategy.HASH_DESTINATION, exits(1, 3)));
    assertThat(chosenId(dir.select("a", Fixtures.excluding(1L, 2L)))).isEqualTo(3);
  }
}
