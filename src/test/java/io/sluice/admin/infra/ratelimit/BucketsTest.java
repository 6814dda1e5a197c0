package io.sluice.admin.infra.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BucketsTest {

  @Test
  void retryAfterIsCeilingSecondsAtLeastOne() {
    assertThat(Buckets.retryAfterSeconds(0)).isEqualTo(1);
    assertThat(Buckets.retryAfterSeconds(1)).isEqualTo(1);
    assertThat(Buckets.retryAfterSeconds(999_999_999L)).isEqualTo(1);
    assertThat(Buckets.retryAfterSeconds(1_000_000_000L)).isEqualTo(1);
    assertThat(Buckets.retryAfterSeconds(1_000_000_001L)).isEqualTo(2);
    assertThat(Buckets.retryAfterSeconds(12_000_000_000L)).isEqualTo(12);
    assertThat(Buckets.retryAfterSeconds(Long.MAX_VALUE)).isEqualTo(9_223_372_037L);
  }
}
