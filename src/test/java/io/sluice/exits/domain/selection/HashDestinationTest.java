package io.sluice.exits.domain.selection;

import static io.sluice.exits.domain.selection.Fixtures.chosenId;
import static io.sluice.exits.domain.selection.Fixtures.directory;
import static io.sluice.exits.domain.selection.Fixtures.exits;
import static io.sluice.exits.domain.selection.Fixtures.toDestination;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class HashDestinationTest {

  static final int KEYS = 3_000;

  static Map<Integer, Long> assign(ExitDirectory dir) {
    Map<Integer, Long> out = new HashMap<>();
    for (int k = 0; k < KEYS; k++) {
      out.put(k, chosenId(dir.select("h", toDestination("host" + k + ".example", 443))));
    }
    return out;
  }

  @Test
  void sameDestinationSameExitAndHostCaseDoesNotMatter() {
    var dir = directory(PoolSnapshot.of("h", Strategy.HASH_DESTINATION, exits(1, 8)));
    long first = chosenId(dir.select("h", toDestination("Api.Example.COM", 443)));
    for (int i = 0; i < 50; i++) {
      assertThat(chosenId(dir.select("h", toDestination("api.example.com", 443)))).isEqualTo(first);
    }
    // Also stable across independently built directories (another node, a reload).
    var other = directory(PoolSnapshot.of("h", Strategy.HASH_DESTINATION, exits(1, 8)));
    assertThat(chosenId(other.select("h", toDestination("api.example.com", 443)))).isEqualTo(first);
  }

  @Test
  void destinationsSpreadOverAllExits() {
    Map<Integer, Long> a =
        assign(directory(PoolSnapshot.of("h", Strategy.HASH_DESTINATION, exits(1, 6))));
    Map<Long, Long> perExit =
        a.values().stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
    assertThat(perExit.keySet()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(perExit.values())
        .allSatisfy(n -> assertThat(n).isBetween(350L, 650L)); // 500 expected
  }

  @Test
  void portIsPartOfTheKey() {
    var dir = directory(PoolSnapshot.of("h", Strategy.HASH_DESTINATION, exits(1, 16)));
    Set<Long> exitsForPorts = new HashSet<>();
    for (int port = 1; port <= 64; port++) {
      exitsForPorts.add(chosenId(dir.select("h", toDestination("same.example", port))));
    }
    assertThat(exitsForPorts.size()).isGreaterThan(8);
  }

  /**
   * Rendezvous: removing (or losing the health of) one exit moves only its own destinations, ~1/n
   * of them.
   */
  @Property(tries = 40)
  void removingOneExitMovesOnlyItsDestinations(
      @ForAll @IntRange(min = 2, max = 20) int n,
      @ForAll @IntRange(min = 0, max = 19) int removedIndex,
      @ForAll boolean viaHealth) {
    long removed = 1 + (removedIndex % n);
    List<ExitView> all = exits(1, n);
    Map<Integer, Long> before =
        assign(directory(PoolSnapshot.of("h", Strategy.HASH_DESTINATION, all)));
    List<ExitView> after =
        viaHealth
            ? all.stream()
                .map(e -> e.id() == removed ? e.withState(ExitState.UNHEALTHY) : e)
                .toList()
            : all.stream().filter(e -> e.id() != removed).toList();
    Map<Integer, Long> now =
        assign(directory(PoolSnapshot.of("h", Strategy.HASH_DESTINATION, after)));
    int moved = 0;
    for (int k = 0; k < KEYS; k++) {
      if (before.get(k) == removed) {
        assertThat(now.get(k)).isNotEqualTo(removed);
        moved++;
      } else {
        assertThat(now.get(k)).as("key %d not on the removed exit", k).isEqualTo(before.get(k));
      }
    }
    double expected = (double) KEYS / n;
    assertThat((double) moved).isBetween(expected * 0.6, expected * 1.4);
  }
}
