package io.sluice.admin.infra.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.sluice.admin.domain.Decision;
import io.sluice.admin.domain.Limit;
import io.sluice.admin.domain.RateLimiter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * In-memory rate limiter for a single node (development mode on H2): one lock-free bucket4j bucket
 * per key in a bounded {@link ConcurrentHashMap}.
 *
 * <p>Bounding: when a new key would exceed {@code maxKeys}, idle entries are swept first (an entry
 * untouched for at least its limit's period has refilled completely, so dropping it loses nothing).
 * If the map is still full, the least recently used tenth is evicted; an evicted key simply starts
 * again with a full bucket. Idle entries are also swept at most once per minute during normal
 * calls, so memory shrinks back after a burst of distinct keys. No background threads.
 */
public final class LocalRateLimiter implements RateLimiter {

  private static final long SWEEP_INTERVAL_NANOS = 60_000_000_000L;

  private final int maxKeys;
  private final TimeMeter clock;
  private final ConcurrentHashMap<String, Entry> buckets = new ConcurrentHashMap<>();
  private final ReentrantLock sweepLock = new ReentrantLock();
  private volatile long lastSweepNanos;

  /**
   * @param maxKeys the most buckets kept in memory, at least 1
   */
  public LocalRateLimiter(int maxKeys) {
    this(maxKeys, TimeMeter.SYSTEM_NANOTIME);
  }

  /** For tests: a controllable clock. */
  LocalRateLimiter(int maxKeys, TimeMeter clock) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1: " + maxKeys);
    }
    this.maxKeys = maxKeys;
    this.clock = clock;
    this.lastSweepNanos = clock.currentTimeNanos();
  }

  @Override
  public Decision tryConsume(String key, Limit limit) {
    String id = RateLimiter.bucketId(key, limit);
    long now = clock.currentTimeNanos();
    Entry entry = buckets.get(id);
    if (entry == null) {
      if (buckets.size() >= maxKeys) {
        makeRoom(now);
      } else if (now - lastSweepNanos >= SWEEP_INTERVAL_NANOS) {
        sweepIdle(now);
      }
      entry = buckets.computeIfAbsent(id, k -> new Entry(newBucket(limit), limit, now));
    }
    entry.lastAccessNanos = now;
    return Buckets.decide(entry.bucket.tryConsumeAndReturnRemaining(1));
  }

  /** Number of buckets currently held (for tests and metrics). */
  int size() {
    return buckets.size();
  }

  private Bucket newBucket(Limit limit) {
    return Bucket.builder()
        .addLimit(Buckets.bandwidth(limit))
        .withCustomTimePrecision(clock)
        .build();
  }

  private void sweepIdle(long now) {
    if (!sweepLock.tryLock()) {
      return;
    }
    try {
      lastSweepNanos = now;
      buckets.entrySet().removeIf(e -> e.getValue().isIdle(now));
    } finally {
      sweepLock.unlock();
    }
  }

  private void makeRoom(long now) {
    sweepLock.lock();
    try {
      if (buckets.size() < maxKeys) {
        return; // another thread made room meanwhile
      }
      lastSweepNanos = now;
      buckets.entrySet().removeIf(e -> e.getValue().isIdle(now));
      int excess = buckets.size() - (maxKeys - Math.max(1, maxKeys / 10));
      if (excess <= 0) {
        return;
      }
      List<Map.Entry<String, Entry>> snapshot = new ArrayList<>(buckets.entrySet());
      snapshot.sort(Comparator.comparingLong(e -> e.getValue().lastAccessNanos));
      for (int i = 0; i < excess && i < snapshot.size(); i++) {
        Map.Entry<String, Entry> victim = snapshot.get(i);
        buckets.remove(victim.getKey(), victim.getValue());
      }
    } finally {
      sweepLock.unlock();
    }
  }

  private static final class Entry {
    final Bucket bucket;
    final long periodNanos;
    volatile long lastAccessNanos;

    Entry(Bucket bucket, Limit limit, long now) {
      this.bucket = bucket;
      this.periodNanos = limit.period().toNanos();
      this.lastAccessNanos = now;
    }

    /** Untouched for a whole period: the bucket is full again, so forgetting it is lossless. */
    boolean isIdle(long now) {
      return now - lastAccessNanos >= periodNanos;
    }
  }
}
