package io.sluice.agent;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect backoff with full jitter: attempt {@code n} (from 0) waits a uniformly
 * random time in {@code [min, min(max, min * 2^n)]}. {@link #reset} after a successful HELLO_OK.
 * Not thread-safe (used by the reconnect loop only).
 */
public final class Backoff {

  private final long minMillis;
  private final long maxMillis;
  private final DoubleSupplier random;
  private int attempt;

  public Backoff(Duration min, Duration max, DoubleSupplier random) {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("need 0 < min <= max");
    }
    this.minMillis = min.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  /** The delay before the next attempt; each call doubles the cap until it reaches max. */
  public Duration next() {
    long cap = minMillis;
    for (int i = 0; i < attempt && cap < maxMillis; i++) {
      cap = Math.min(maxMillis, cap * 2);
    }
    cap = Math.min(maxMillis, cap);
    if (attempt < 62) {
      attempt++;
    }
    long span = cap - minMillis;
    return Duration.ofMillis(minMillis + (long) (random.getAsDouble() * (span + 1)));
  }

  public void reset() {
    attempt = 0;
  }
}
