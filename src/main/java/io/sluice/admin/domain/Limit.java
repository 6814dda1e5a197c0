package io.sluice.admin.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * A rate limit: at most {@code capacity} requests per {@code period}, refilled greedily (tokens
 * trickle back continuously at {@code capacity / period}, the bucket starts full).
 *
 * @param capacity tokens in a full bucket, at least 1
 * @param period time to refill an empty bucket completely, at least 1 ms
 */
public record Limit(long capacity, Duration period) {

  public Limit {
    Objects.requireNonNull(period, "period");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    if (period.toMillis() < 1) {
      throw new IllegalArgumentException("period must be at least 1 ms: " + period);
    }
  }

  /** {@code n} requests per minute. */
  public static Limit perMinute(long n) {
    return new Limit(n, Duration.ofMinutes(1));
  }

  /**
   * A stable text form of this limit, appended to bucket keys so that a key used with a changed
   * limit gets a fresh bucket instead of silently keeping the old configuration.
   */
  String tag() {
    return capacity + "/" + period.toMillis() + "ms";
  }
}
