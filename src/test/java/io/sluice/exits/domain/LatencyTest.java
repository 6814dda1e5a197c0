package io.sluice.exits.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LatencyTest {

  @Test
  void theFirstSampleIsTheAverageThenEachNewOneWeighsThirtyPercent() {
    double e = Latency.ewma(null, 100);
    assertThat(e).isEqualTo(100.0);
    e = Latency.ewma(e, 200);
    assertThat(e).isCloseTo(130.0, within(1e-9));
    e = Latency.ewma(e, 200);
    assertThat(e).isCloseTo(151.0, within(1e-9));
  }

  @Test
  void aSteadyLatencyIsItsOwnAverage() {
    double e = Latency.ewma(null, 250);
    for (int i = 0; i < 50; i++) {
      e = Latency.ewma(e, 250);
    }
    assertThat(e).isCloseTo(250.0, within(1e-9));
  }

  @Test
  void percentilesAreNearestRank() {
    List<Integer> oneToTwenty = IntStream.rangeClosed(1, 20).boxed().toList().reversed();
    assertThat(Latency.percentile(oneToTwenty, 50)).isEqualTo(10);
    assertThat(Latency.percentile(oneToTwenty, 95)).isEqualTo(19);
    assertThat(Latency.percentile(oneToTwenty, 100)).isEqualTo(20);
    assertThat(Latency.percentile(List.of(7), 50)).isEqualTo(7);
    assertThat(Latency.percentile(List.of(7), 95)).isEqualTo(7);
    assertThat(Latency.percentile(List.of(300, 100, 200), 50)).isEqualTo(200);
    assertThat(Latency.percentile(List.of(300, 100, 200), 95)).isEqualTo(300);
    assertThat(Latency.percentile(List.of(), 50)).isNull();
    assertThat(Latency.percentile(null, 95)).isNull();
  }

  @Test
  void slowAboveTheThresholdAndOnlyClearedBelowNinetyPercentOfIt() {
    assertThat(Latency.slow(false, 1000.0, 1000)).isFalse(); // not above
    assertThat(Latency.slow(false, 1000.5, 1000)).isTrue();
    assertThat(Latency.slow(true, 950.0, 1000)).isTrue(); // hysteresis band
    assertThat(Latency.slow(true, 900.0, 1000)).isTrue();
    assertThat(Latency.slow(true, 899.9, 1000)).isFalse();
    assertThat(Latency.slow(false, 950.0, 1000)).isFalse();
  }

  @Test
  void noAverageOrNoThresholdIsNeverSlow() {
    assertThat(Latency.slow(true, null, 1000)).isFalse();
    assertThat(Latency.slow(false, 5000.0, 0)).isFalse();
  }
}
