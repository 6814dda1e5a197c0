package io.sluice.exits.domain.selection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * For every strategy and any pool: the chosen exit is selectable (never UNHEALTHY or DISABLED), not
 * excluded and in the requested country; an exit is chosen exactly when one is eligible.
 */
class HealthFilterProperties {

  @Provide
  Arbitrary<List<ExitView>> members() {
    Arbitrary<ExitView> exit =
        Combinators.combine(
                Arbitraries.longs().between(1, 40),
                Arbitraries.of(ExitState.class),
                Arbitraries.of("de", "us", "fr").injectNull(0.2),
                Arbitraries.longs().between(0, 500).injectNull(0.3))
            .as((id, state, country, latency) ->
                new ExitView(id, ExitView.HTTP, country, state, latency));
    return exit.list().ofMaxSize(12).uniqueElements(ExitView::id);
  }

  @Provide
  Arbitrary<Set<Long>> excluded() {
    return Arbitraries.longs().between(1, 40).set().ofMaxSize(6);
  }

  @Provide
  Arbitrary<String> country() {
    return Arbitraries.of("de", "us", "fr", "nl").injectNull(0.4);
  }

  @Property(tries = 400)
  void neverChoosesAnIneligibleExit(
      @ForAll Strategy strategy,
      @ForAll("members") List<ExitView> members,
      @ForAll("excluded") Set<Long> excluded,
      @ForAll("country") String country,
      @ForAll @IntRange(min = 0, max = 3) int sessionChoice,
      @ForAll @IntRange(min = 1, max = 6) int draws) {
    Fixtures.Counts counts = new Fixtures.Counts();
    for (ExitView e : members) {
      counts.active.put(e.id(), (int) (e.id() * 7 % 5));
    }
    var dir =
        new ExitDirectory(
            List.of(PoolSnapshot.of("p", strategy, members)), counts, new StickySessions());
    Long user = sessionChoice == 0 ? null : 42L;
    String session = sessionChoice >= 2 ? "s" + sessionChoice : null;
    var r =
        new SelectionRequest(
            user, session, Duration.ofMinutes(5), country, "dest.example", 443, excluded);

    List<Long> eligible = new ArrayList<>();
    for (ExitView e : members) {
      boolean ok =
          e.state() != ExitState.UNHEALTHY
              && e.state() != ExitState.DISABLED
              && (country == null || country.equals(e.country()))
              && !excluded.contains(e.id());
      if (ok) {
        eligible.add(e.id());
      }
    }
    Set<Long> chosen = new HashSet<>();
    for (int i = 0; i < draws; i++) {
      Selection s = dir.select("p", r);
      if (eligible.isEmpty()) {
        assertThat(s).isInstanceOf(Selection.Unavailable.class);
      } else {
        ExitView e = s.chosenExit().orElseThrow();
        assertThat(e.state()).isIn(ExitState.HEALTHY, ExitState.SUSPECT);
        chosen.add(e.id());
      }
    }
    assertThat(eligible).containsAll(chosen);
  }

  @Property(tries = 200)
  void reasonMatchesTheModel(
      @ForAll Strategy strategy,
      @ForAll("members") List<ExitView> members,
      @ForAll("excluded") Set<Long> excluded,
      @ForAll("country") String country) {
    var dir =
        new ExitDirectory(
            List.of(PoolSnapshot.of("p", strategy, members)),
            ConnectionCounts.NONE,
            new StickySessions());
    var r = new SelectionRequest(1L, null, null, country, "d", 1, excluded);
    List<ExitView> inCountry =
        members.stream().filter(e -> country == null || country.equals(e.country())).toList();
    List<ExitView> healthy = inCountry.stream().filter(ExitView::selectable).toList();
    boolean anyEligible = healthy.stream().anyMatch(e -> !excluded.contains(e.id()));
    Selection s = dir.select("p", r);
    if (anyEligible) {
      assertThat(s).isInstanceOf(Selection.Chosen.class);
      return;
    }
    Selection.Reason expected =
        members.isEmpty()
            ? Selection.Reason.EMPTY_POOL
            : inCountry.isEmpty()
                ? Selection.Reason.NO_EXIT_IN_COUNTRY
                : healthy.isEmpty() ? Selection.Reason.NONE_HEALTHY : Selection.Reason.ALL_EXCLUDED;
    assertThat(((Selection.Unavailable) s).reason()).isEqualTo(expected);
  }
}
