package io.sluice.admin.infra.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.TimeMeter;
import io.sluice.admin.domain.Decision;
import io.sluice.admin.domain.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LocalRateLimiterTest {

  /** Manually advanced clock. */
  static final class FakeClock implements TimeMeter {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long currentTimeNanos() {
      return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }
  }

  private static final Limit LOGIN = Limit.perMinute(5);

  @Test
  void allowsCapacityThenDeniesWithRetryAfter() {
    FakeClock clock = new FakeClock();
    LocalRateLimiter limiter = new LocalRateLimiter(100, clock);
    for (int i = 4; i >= 0; i--) {
      assertThat(limiter.tryConsume("ip:1.2.3.4:login", LOGIN)).isEqualTo(new Decision.Allowed(i));
    }
    // 5 per minute: one token every 12 s
    assertThat(limiter.tryConsume("ip:1.2.3.4:login", LOGIN)).isEqualTo(new Decision.Denied(12));
    clock.advance(Duration.ofMillis(11_500));
    assertThat(limiter.tryConsume("ip:1.2.3.4:login", LOGIN)).isEqualTo(new Decision.Denied(1));
    clock.advance(Duration.ofMillis(500));
    assertThat(limiter.tryConsume("ip:1.2.3.4:login", LOGIN)).isEqualTo(new Decision.Allowed(0));
  }

  @Test
  void keysAndLimitsAreIndependent() {
    LocalRateLimiter limiter = new LocalRateLimiter(100, new FakeClock());
    for (int i = 0; i < 5; i++) {
      limiter.tryConsume("ip:1.2.3.4:login", LOGIN);
    }
    assertThat(limiter.tryConsume("ip:1.2.3.4:login", LOGIN)).isInstanceOf(Decision.Denied.class);
    assertThat(limiter.tryConsume("ip:1.2.3.5:login", LOGIN)).isEqualTo(new Decision.Allowed(4));
    assertThat(limiter.tryConsume("ip:1.2.3.4:api", Limit.perMinute(60)))
        .isEqualTo(new Decision.Allowed(59));
    // same key, different limit: a separate bucket
    assertThat(limiter.tryConsume("ip:1.2.3.4:login", Limit.perMinute(6)))
        .isEqualTo(new Decision.Allowed(5));
  }

  @Test
  @Timeout(10)
  void refillsAfterThePeriodInRealTime() throws InterruptedException {
    LocalRateLimiter limiter = new LocalRateLimiter(10);
    Limit limit = new Limit(3, Duration.ofSeconds(2));
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryConsume("k", limit)).isInstanceOf(Decision.Allowed.class);
    }
    Decision denied = limiter.tryConsume("k", limit);
    assertThat(denied).isInstanceOf(Decision.Denied.class);
    assertThat(((Decision.Denied) denied).retryAfterSeconds()).isEqualTo(1);
    Thread.sleep(2_100);
    assertThat(limiter.tryConsume("k", limit)).isEqualTo(new Decision.Allowed(2));
  }

  @Test
  void staysBoundedUnderManyKeys() {
    FakeClock clock = new FakeClock();
    LocalRateLimiter limiter = new LocalRateLimiter(100, clock);
    for (int i = 0; i < 10_000; i++) {
      clock.advance(Duration.ofMillis(1));
      assertThat(
              limiter.tryConsume(
                  "ip:10.0." + (i / 256) + "." + (i % 256) + ":api", Limit.perMinute(60)))
          .isInstanceOf(Decision.Allowed.class);
      assertThat(limiter.size()).isLessThanOrEqualTo(100);
    }
  }

  @Test
  void evictsLeastRecentlyUsedWhenFullOfActiveKeys() {
    FakeClock clock = new FakeClock();
    LocalRateLimiter limiter = new LocalRateLimiter(10, clock);
    Limit limit = Limit.perMinute(5);
    // "hot" is used up and kept fresh, the others are touched once each
    for (int i = 0; i < 5; i++) {
      limiter.tryConsume("hot", limit);
    }
    for (int i = 0; i < 30; i++) {
      clock.advance(Duration.ofMillis(10));
      limiter.tryConsume("hot", limit);
      limiter.tryConsume("cold-" + i, limit);
    }
    assertThat(limiter.size()).isLessThanOrEqualTo(10);
    assertThat(limiter.tryConsume("hot", limit)).isInstanceOf(Decision.Denied.class);
  }

  @Test
  void dropsIdleKeysFirst() {
    FakeClock clock = new FakeClock();
    LocalRateLimiter limiter = new LocalRateLimiter(3, clock);
    Limit limit = Limit.perMinute(2);
    limiter.tryConsume("a", limit);
    limiter.tryConsume("a", limit);
    limiter.tryConsume("b", limit);
    clock.advance(Duration.ofSeconds(61)); // a and b are idle and full again
    limiter.tryConsume("c", limit);
    limiter.tryConsume("c", limit);
    limiter.tryConsume("d", limit); // full: sweep removes a and b, keeps c (recent, not full)
    assertThat(limiter.size()).isEqualTo(2);
    assertThat(limiter.tryConsume("c", limit)).isInstanceOf(Decision.Denied.class);
    assertThat(limiter.tryConsume("a", limit)).isEqualTo(new Decision.Allowed(1));
  }

  @Test
  @Timeout(30)
  void concurrentCallersGetExactlyTheCapacity() throws Exception {
    LocalRateLimiter limiter = new LocalRateLimiter(10, new FakeClock());
    Limit limit = new Limit(500, Duration.ofHours(1));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(
            pool.submit(() -> {
              start.await();
              int allowed = 0;
              for (int i = 0; i < 200; i++) {
                if (limiter.tryConsume("shared", limit) instanceof Decision.Allowed) {
                  allowed++;
                }
              }
              return allowed;
            }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get(20, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(500);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rejectsBadArguments() {
    LocalRateLimiter limiter = new LocalRateLimiter(1);
    assertThatThrownBy(() -> new LocalRateLimiter(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.tryConsume("", LOGIN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.tryConsume("x".repeat(201), LOGIN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.tryConsume(null, LOGIN))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Limit(0, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Limit(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(limiter.tryConsume("x".repeat(200), LOGIN)).isEqualTo(new Decision.Allowed(4));
  }
}
