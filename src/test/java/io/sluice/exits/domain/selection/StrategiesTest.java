package io.sluice.exits.domain.selection;

import static io.sluice.exits.domain.selection.Fixtures.chosenId;
import static io.sluice.exits.domain.selection.Fixtures.directory;
import static io.sluice.exits.domain.selection.Fixtures.exit;
import static io.sluice.exits.domain.selection.Fixtures.exits;
import static io.sluice.exits.domain.selection.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ordering and distribution of round-robin, random, least-connections and least-latency. */
class StrategiesTest {

  @Test
  void roundRobinVisitsEveryEligibleExitInTurn() {
    var dir =
        directory(
            PoolSnapshot.of("rr", Strategy.ROUND_ROBIN, List.of(exit(30), exit(10), exit(20))));
    List<Long> seen = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      seen.add(chosenId(dir.select("rr", request())));
    }
    // Id order, cyclic, starting wherever the cursor is: every window of 3 is a permutation.
    for (int i = 0; i + 3 <= seen.size(); i++) {
      assertThat(seen.subList(i, i + 3)).containsExactlyInAnyOrder(10L, 20L, 30L);
    }
    assertThat(seen.subList(0, 3)).containsExactly(10L, 20L, 30L);
  }

  @Test
  void roundRobinSkipsIneligibleExits() {
    var dir =
        directory(
            PoolSnapshot.of(
                "rr",
                Strategy.ROUND_ROBIN,
                List.of(
                    exit(1),
                    exit(2, ExitState.UNHEALTHY),
                    exit(3, ExitState.SUSPECT),
                    exit(4, ExitState.DISABLED),
                    exit(5))));
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      seen.add(chosenId(dir.select("rr", Fixtures.excluding(5L))));
    }
    assertThat(seen).containsExactlyInAnyOrder(1L, 3L);
  }

  @Test
  void roundRobinCursorIsPerPoolAndSurvivesReload() {
    var a = PoolSnapshot.of("a", Strategy.ROUND_ROBIN, exits(1, 4));
    var b = PoolSnapshot.of("b", Strategy.ROUND_ROBIN, exits(1, 4));
    var dir = directory(a, b);
    assertThat(chosenId(dir.select("a", request()))).isEqualTo(1);
    assertThat(chosenId(dir.select("a", request()))).isEqualTo(2);
    assertThat(chosenId(dir.select("b", request()))).isEqualTo(1);
    var reloaded = dir.withPools(List.of(a, b));
    assertThat(chosenId(reloaded.select("a", request()))).isEqualTo(3);
    assertThat(chosenId(reloaded.select("b", request()))).isEqualTo(2);
  }

  @Test
  void randomCoversAllEligibleExitsAndNothingElse() {
    List<ExitView> members = new ArrayList<>(exits(1, 10));
    members.add(exit(11, ExitState.UNHEALTHY));
    members.add(exit(12, ExitState.DISABLED));
    var dir = directory(PoolSnapshot.of("r", Strategy.RANDOM, members));
    Map<Long, Integer> hits = new HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      hits.merge(chosenId(dir.select("r", Fixtures.excluding(10L))), 1, Integer::sum);
    }
    assertThat(hits.keySet()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    // Expected 555 each; a uniform draw falls below 350 with negligible probability.
    assertThat(hits.values()).allSatisfy(n -> assertThat(n).isGreaterThan(350));
  }

  @Test
  void leastConnectionsPicksTheMinimumTiesByLowestId() {
    var counts = new Fixtures.Counts();
    var dir =
        new ExitDirectory(
            List.of(PoolSnapshot.of("lc", Strategy.LEAST_CONNECTIONS, exits(1, 5))),
            counts,
            new StickySessions());
    counts.active.putAll(Map.of(1L, 5, 2L, 3, 3L, 1, 4L, 2, 5L, 1));
    assertThat(chosenId(dir.select("lc", request()))).isEqualTo(3);
    counts.active.put(3L, 9);
    assertThat(chosenId(dir.select("lc", request()))).isEqualTo(5);
    assertThat(chosenId(dir.select("lc", Fixtures.excluding(5L)))).isEqualTo(4);
    counts.active.put(2L, 0);
    assertThat(chosenId(dir.select("lc", request()))).isEqualTo(2);
  }

  @Test
  void leastConnectionsIgnoresUnhealthyEvenWhenIdle() {
    var counts = new Fixtures.Counts();
    var dir =
        new ExitDirectory(
            List.of(
                PoolSnapshot.of(
                    "lc",
                    Strategy.LEAST_CONNECTIONS,
                    List.of(exit(1, ExitState.UNHEALTHY), exit(2, ExitState.DISABLED), exit(3)))),
            counts,
            new StickySessions());
    counts.active.put(3L, 1000);
    assertThat(chosenId(dir.select("lc", request()))).isEqualTo(3);
  }

  @Test
  void leastLatencyPicksTheMinimumAndPutsUnknownLast() {
    var dir =
        directory(
            PoolSnapshot.of(
                "ll",
                Strategy.LEAST_LATENCY,
                List.of(
                    exit(1, (Long) null),
                    exit(2, 80L),
                    exit(3, 40L),
                    exit(4, 40L),
                    exit(5, 5L).withState(ExitState.UNHEALTHY))));
    assertThat(chosenId(dir.select("ll", request()))).isEqualTo(3); // 40 ms, tie with 4 -> lower id
    assertThat(chosenId(dir.select("ll", Fixtures.excluding(3L)))).isEqualTo(4);
    assertThat(chosenId(dir.select("ll", Fixtures.excluding(3L, 4L)))).isEqualTo(2);
    assertThat(chosenId(dir.select("ll", Fixtures.excluding(2L, 3L, 4L))))
        .isEqualTo(1); // only unknown left
  }

  @Test
  void leastLatencyWithoutAnyDataTakesTheLowestId() {
    var dir =
        directory(
            PoolSnapshot.of(
                "ll",
                Strategy.LEAST_LATENCY,
                List.of(exit(9, (Long) null), exit(4, (Long) null), exit(6, (Long) null))));
    assertThat(chosenId(dir.select("ll", request()))).isEqualTo(4);
  }

  @Test
  void unknownLatencyLosesEvenWithTheLowestId() {
    var dir =
        directory(
            PoolSnapshot.of(
                "ll", Strategy.LEAST_LATENCY, List.of(exit(1, (Long) null), exit(2, 10_000L))));
    assertThat(chosenId(dir.select("ll", request()))).isEqualTo(2);
  }
}
