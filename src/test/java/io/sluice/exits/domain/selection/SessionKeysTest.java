package io.sluice.exits.domain.selection;

import static io.sluice.exits.domain.selection.Fixtures.chosenId;
import static io.sluice.exits.domain.selection.Fixtures.exits;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A session key keeps its exit in every strategy, and moves (reported) when the exit goes. */
class SessionKeysTest {

  final Fixtures.MutableClock clock = new Fixtures.MutableClock();
  final StickySessions sessions = new StickySessions(clock, 1_000);
  final List<SessionMove> moves = new CopyOnWriteArrayList<>();
  final Fixtures.Counts counts = new Fixtures.Counts();
  final Duration ttl = Duration.ofMinutes(10);

  {
    sessions.onMove(moves::add);
  }

  ExitDirectory directory(Strategy strategy, List<ExitView> members) {
    return new ExitDirectory(List.of(PoolSnapshot.of("p", strategy, members)), counts, sessions);
  }

  static List<ExitView> withLatencies(List<ExitView> members) {
    return members.stream().map(e -> e.withLatency(10 * e.id())).toList();
  }

  SelectionRequest keyed(String key, String host) {
    return new SelectionRequest(7L, key, ttl, null, host, 443, Set.of());
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void aKeyKeepsItsExitWhateverTheDestination(Strategy strategy) {
    ExitDirectory dir = directory(strategy, withLatencies(exits(1, 5)));
    long first = chosenId(dir.select("p", keyed("abc", "a.example")));
    for (int i = 0; i < 50; i++) {
      counts.active.merge(first, 1, Integer::sum); // least-connections would now avoid it
      assertThat(chosenId(dir.select("p", keyed("abc", "host" + i + ".example"))))
          .as("%s, request %d", strategy, i)
          .isEqualTo(first);
    }
    assertThat(sessions.exitOf("p", 7L, "abc")).hasValue(first);
    assertThat(moves).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void aKeyMovesWhenItsExitTurnsUnhealthyAndTheMoveIsReported(Strategy strategy) {
    List<ExitView> members = withLatencies(exits(1, 5));
    ExitDirectory dir = directory(strategy, members);
    long first = chosenId(dir.select("p", keyed("abc", "a.example")));

    List<ExitView> down =
        members.stream().map(e -> e.id() == first ? e.withState(ExitState.UNHEALTHY) : e).toList();
    ExitDirectory next = dir.withPools(List.of(PoolSnapshot.of("p", strategy, down)));
    long second = chosenId(next.select("p", keyed("abc", "b.example")));

    assertThat(second).isNotEqualTo(first);
    assertThat(moves).hasSize(1);
    SessionMove m = moves.get(0);
    assertThat(m.pool()).isEqualTo("p");
    assertThat(m.userId()).isEqualTo(7L);
    assertThat(m.sessionKey()).isEqualTo("abc");
    assertThat(m.fromExitId()).isEqualTo(first);
    assertThat(m.toExitId()).isEqualTo(second);
    assertThat(m.reason()).isEqualTo("unhealthy");

    StickySessions.SessionEntry entry = sessions.entry("p", 7L, "abc").orElseThrow();
    assertThat(entry.exitId()).isEqualTo(second);
    assertThat(entry.moves()).isEqualTo(1);
    assertThat(entry.previousExitId()).isEqualTo(first);
    assertThat(entry.lastMoveReason()).isEqualTo("unhealthy");
    assertThat(entry.movedAt()).isNotNull();

    // the key keeps its new exit, also after the old one recovers
    for (int i = 0; i < 20; i++) {
      assertThat(chosenId(next.select("p", keyed("abc", "c" + i + ".example")))).isEqualTo(second);
    }
    ExitDirectory recovered = next.withPools(List.of(PoolSnapshot.of("p", strategy, members)));
    assertThat(chosenId(recovered.select("p", keyed("abc", "d.example")))).isEqualTo(second);
    assertThat(moves).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void removalAndFailedConnectsMoveTooWithTheirReason(Strategy strategy) {
    List<ExitView> members = withLatencies(exits(1, 5));
    ExitDirectory dir = directory(strategy, members);
    long first = chosenId(dir.select("p", keyed("k", "a.example")));
    long second = chosenId(dir.select("p", keyed("k", "a.example").excluding(first)));
    assertThat(second).isNotEqualTo(first);
    assertThat(moves.get(0).reason()).isEqualTo(SessionMove.EXCLUDED);

    List<ExitView> without = members.stream().filter(e -> e.id() != second).toList();
    ExitDirectory smaller = dir.withPools(List.of(PoolSnapshot.of("p", strategy, without)));
    long third = chosenId(smaller.select("p", keyed("k", "a.example")));
    assertThat(third).isNotEqualTo(second);
    assertThat(moves).hasSize(2);
    assertThat(moves.get(1).reason()).isEqualTo(SessionMove.REMOVED);
    assertThat(moves.get(1).fromExitId()).isEqualTo(second);
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void anExpiredKeyIsANewSessionNotAMove(Strategy strategy) {
    ExitDirectory dir = directory(strategy, withLatencies(exits(1, 5)));
    dir.select("p", keyed("abc", "a.example"));
    clock.advance(ttl.plusSeconds(1));
    assertThat(sessions.exitOf("p", 7L, "abc")).isEmpty();
    dir.select("p", keyed("abc", "a.example"));
    assertThat(sessions.exitOf("p", 7L, "abc")).isPresent();
    assertThat(moves).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Strategy.class,
      names = {"ROUND_ROBIN", "RANDOM"})
  void differentKeysStillSpreadOverTheExits(Strategy strategy) {
    ExitDirectory dir = directory(strategy, exits(1, 5));
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      seen.add(chosenId(dir.select("p", keyed("s" + i, "a.example"))));
    }
    assertThat(seen).hasSize(5);
  }

  @org.junit.jupiter.api.Test
  void withoutAKeyRoundRobinStillRotatesAndNothingIsRecorded() {
    ExitDirectory dir = directory(Strategy.ROUND_ROBIN, exits(1, 3));
    List<Long> chosen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      chosen.add(chosenId(dir.select("p", keyed(null, "a.example"))));
    }
    assertThat(chosen).containsExactly(1L, 2L, 3L, 1L, 2L, 3L);
    assertThat(sessions.size()).isZero();
  }

  @org.junit.jupiter.api.Test
  void roundRobinGivesConsecutiveNewKeysConsecutiveExits() {
    ExitDirectory dir = directory(Strategy.ROUND_ROBIN, exits(1, 3));
    assertThat(chosenId(dir.select("p", keyed("a", "x")))).isEqualTo(1L);
    assertThat(chosenId(dir.select("p", keyed("b", "x")))).isEqualTo(2L);
    assertThat(chosenId(dir.select("p", keyed("a", "x")))).isEqualTo(1L);
    assertThat(chosenId(dir.select("p", keyed("c", "x")))).isEqualTo(3L);
  }
}
