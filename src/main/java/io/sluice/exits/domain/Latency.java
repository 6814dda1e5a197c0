package io.sluice.exits.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Latency arithmetic of exits: an exponentially weighted moving average of successful checks, the
 * nearest-rank percentiles of the recent ones, and the {@code slow} flag with a little hysteresis
 * (set above the threshold, cleared only below 90 % of it, so an exit hovering at the threshold
 * does not flap).
 */
public final class Latency {

  /** Weight of the newest sample in the average. */
  public static final double ALPHA = 0.3;

  /** Below this fraction of the threshold a slow exit is no longer slow. */
  public static final double CLEAR_FRACTION = 0.9;

  private Latency() {}

  /** The new average after {@code sampleMs}; the first sample is the average. */
  public static double ewma(Double previous, long sampleMs) {
    return previous == null ? sampleMs : ALPHA * sampleMs + (1 - ALPHA) * previous;
  }

  /**
   * Whether an exit with average {@code ewmaMs} is slow, given whether it was ({@code slowMs} <= 0
   * switches the flag off).
   */
  public static boolean slow(boolean wasSlow, Double ewmaMs, long slowMs) {
    if (ewmaMs == null || slowMs <= 0) {
      return false;
    }
    return wasSlow ? ewmaMs >= slowMs * CLEAR_FRACTION : ewmaMs > slowMs;
  }

  /**
   * The nearest-rank {@code p}-th percentile (0 < p <= 100) of {@code samples}, or null if there
   * are none.
   */
  public static Integer percentile(List<Integer> samples, int p) {
    if (samples == null || samples.isEmpty()) {
      return null;
    }
    List<Integer> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.clamp(rank - 1, 0, sorted.size() - 1));
  }
}
