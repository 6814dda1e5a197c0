package io.sluice.exits.domain.selection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For every strategy and any sequence of health changes: a session key's exit changes only when the
 * exit it had stopped being selectable, every change is reported once with the old and new exit,
 * and the chosen exit is always selectable.
 */
class SessionKeyProperties {

  /** One step: flip the state of the exit with this index (0-5) to one of the states. */
  record Flip(int index, ExitState state) {}

  @Provide
  Arbitrary<List<Flip>> flips() {
    return net.jqwik.api.Combinators.combine(
            Arbitraries.integers().between(0, 5), Arbitraries.of(ExitState.class))
        .as(Flip::new)
        .list()
        .ofMaxSize(30);
  }

  @Property(tries = 300)
  void aKeyMovesOnlyWhenItsExitStopsBeingSelectable(
      @ForAll Strategy strategy, @ForAll("flips") List<Flip> flips) {
    List<ExitView> members = new ArrayList<>();
    for (long id = 1; id <= 6; id++) {
      members.add(new ExitView(id, ExitView.SOCKS5, null, ExitState.HEALTHY, id * 3));
    }
    StickySessions sessions = new StickySessions(new Fixtures.MutableClock(), 100);
    List<SessionMove> moves = new ArrayList<>();
    sessions.onMove(moves::add);
    Fixtures.Counts counts = new Fixtures.Counts();
    ExitDirectory dir =
        new ExitDirectory(List.of(PoolSnapshot.of("p", strategy, members)), counts, sessions);
    SelectionRequest r =
        new SelectionRequest(9L, "key", Duration.ofHours(1), null, "d.example", 443, Set.of());

    Long current = dir.selectExit("p", r).map(ExitView::id).orElseThrow();
    int expectedMoves = 0;
    for (int step = 0; step < flips.size(); step++) {
      Flip f = flips.get(step);
      members.set(f.index(), members.get(f.index()).withState(f.state()));
      dir = dir.withPools(List.of(PoolSnapshot.of("p", strategy, List.copyOf(members))));
      counts.active.merge(current, 1, Integer::sum);
      boolean keptSelectable = members.get((int) (current - 1)).selectable();
      SelectionRequest next =
          new SelectionRequest(9L, "key", Duration.ofHours(1), null, "d" + step, 443, Set.of());
      Long chosen = dir.selectExit("p", next).map(ExitView::id).orElse(null);
      if (chosen == null) {
        assertThat(members).noneMatch(ExitView::selectable);
        continue;
      }
      assertThat(members.get((int) (chosen - 1)).selectable()).isTrue();
      if (keptSelectable) {
        assertThat(chosen).isEqualTo(current);
      } else {
        assertThat(chosen).isNotEqualTo(current);
        expectedMoves++;
        SessionMove m = moves.get(moves.size() - 1);
        assertThat(m.fromExitId()).isEqualTo(current);
        assertThat(m.toExitId()).isEqualTo(chosen);
        assertThat(m.reason()).isEqualTo(members.get((int) (current - 1)).state().wireName());
      }
      current = chosen;
    }
    assertThat(moves).hasSize(expectedMoves);
  }
}
