package io.sluice.alerts.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Counting failed logins per source within a sliding window, bounded. */
class BruteForceWindowTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration W = Duration.ofMinutes(5);

  @Test
  void countsWithinTheWindowAndReportsQuietSources() {
    BruteForceWindow w = new BruteForceWindow();
    for (int i = 0; i < 4; i++) {
      assertThat(w.add("10.0.0.1", T0.plusSeconds(i), W, 5)).isEqualTo(i + 1);
    }
    assertThat(w.add("10.0.0.2", T0, W, 5)).isEqualTo(1);
    assertThat(w.quiet(T0.plusSeconds(10), W, 5)).as("never raised").isEmpty();
    assertThat(w.add("10.0.0.1", T0.plusSeconds(5), W, 5)).isEqualTo(5); // raised
    assertThat(w.quiet(T0.plusSeconds(10), W, 5)).isEmpty();
    assertThat(w.add("10.0.0.2", T0.plusSeconds(11), W, 5))
        .as("sub-threshold counts survive a quiet round")
        .isEqualTo(2);
    assertThat(w.add("10.0.0.1", T0.plusSeconds(306), W, 5)).as("the others fell out").isEqualTo(1);
    assertThat(w.quiet(T0.plusSeconds(306), W, 5)).containsExactly("10.0.0.1");
    assertThat(w.quiet(T0.plusSeconds(307), W, 5)).isEmpty();
  }

  @Test
  void aSourceAtTheThresholdIsNotQuiet() {
    BruteForceWindow w = new BruteForceWindow();
    for (int i = 0; i < 5; i++) {
      w.add("10.0.0.9", T0.plusSeconds(i), W, 5);
    }
    assertThat(w.quiet(T0.plusSeconds(10), W, 5)).isEmpty();
    assertThat(w.quiet(T0.plusSeconds(305), W, 5)).containsExactly("10.0.0.9");
  }

  @Test
  void memoryIsBounded() {
    BruteForceWindow w = new BruteForceWindow();
    for (int i = 0; i < BruteForceWindow.MAX_PER_SOURCE + 50; i++) {
      w.add("10.0.0.1", T0, W, 5);
    }
    assertThat(w.add("10.0.0.1", T0, W, 5)).isEqualTo(BruteForceWindow.MAX_PER_SOURCE);
    for (int i = 0; i < BruteForceWindow.MAX_SOURCES + 10; i++) {
      w.add("s" + i, T0, W, 5);
    }
    assertThat(w.add("late-newcomer", T0, W, 5)).as("table full within the window").isZero();
    assertThat(w.add("late-newcomer", T0.plus(W).plusSeconds(1), W, 5))
        .as("old entries pruned")
        .isEqualTo(1);
  }
}
