package io.sluice.tor.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrainsTest {

  private static final Instant NOW = Instant.parse("2026-12-05T20:00:00Z");

  @Test
  void aNodeStopsWhenItsLastSessionEndsOrAtItsDeadline() {
    Map<Integer, Instant> deadlines =
        Map.of(
            3, NOW.plusSeconds(20), // sessions still open, time left: keeps draining
            4, NOW.plusSeconds(20), // no session left: stops now
            5, NOW, // deadline reached: stops, sessions or not
            6, NOW.minusSeconds(1));
    Map<Integer, Integer> live = Map.of(3, 2, 4, 0, 5, 7, 6, 1);

    assertThat(Drains.finished(deadlines, NOW, live::get)).containsExactly(4, 5, 6);
    assertThat(Drains.finished(deadlines, NOW.plusSeconds(20), live::get))
        .containsExactly(3, 4, 5, 6);
    assertThat(Drains.finished(Map.of(), NOW, i -> 0)).isEmpty();
  }
}
