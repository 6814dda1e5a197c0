package io.sluice.admin.infra.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.sluice.admin.domain.Decision;
import io.sluice.admin.domain.Limit;

/** Shared bucket4j glue. */
final class Buckets {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Buckets() {}

  static BucketConfiguration configuration(Limit limit) {
    return BucketConfiguration.builder().addLimit(bandwidth(limit)).build();
  }

  static Bandwidth bandwidth(Limit limit) {
    return Bandwidth.builder()
        .capacity(limit.capacity())
        .refillGreedy(limit.capacity(), limit.period())
        .build();
  }

  static Decision decide(ConsumptionProbe probe) {
    if (probe.isConsumed()) {
      return new Decision.Allowed(probe.getRemainingTokens());
    }
    return new Decision.Denied(retryAfterSeconds(probe.getNanosToWaitForRefill()));
  }

  /** Ceiling of {@code nanos} in seconds, at least 1. */
  static long retryAfterSeconds(long nanos) {
    if (nanos <= 0) {
      return 1;
    }
    long seconds = nanos / NANOS_PER_SECOND + (nanos % NANOS_PER_SECOND == 0 ? 0 : 1);
    return Math.max(1, seconds);
  }
}
