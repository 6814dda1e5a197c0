package io.sluice.engine.session;

import io.github.bucket4j.Bucket;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.UserLimits;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces {@link UserLimits} per user on this node: concurrent sessions, new sessions per minute
 * (bucket4j, greedy refill) and bandwidth up/down shared by all sessions of the user. A limit of 0
 * is unlimited. The principal carries the latest limits; when they differ from the ones in force,
 * new buckets are built and apply to new sessions (running sessions keep the buckets they were
 * admitted with). The concurrency counter survives limit changes.
 */
public final class UserLimiter {

  /** Share of a second that may be sent at once beyond the rate (bucket capacity). */
  private static final int BURST_DIVISOR = 10;

  private static final long MIN_BURST = 8 * 1024;

  private final ConcurrentHashMap<Object, UserState> users = new ConcurrentHashMap<>();

  public Admission admit(ProxyPrincipal principal) {
    UserLimits limits = principal.limits();
    Object key =
        principal.userId() != null ? principal.userId() : "anonymous:" + principal.username();
    UserState state = users.computeIfAbsent(key, k -> new UserState());
    synchronized (state) {
      if (!limits.equals(state.limits)) {
        state.rebuild(limits);
      }
      if (limits.maxConnections() > 0 && state.active >= limits.maxConnections()) {
        return new Admission.Refused("max-connections");
      }
      if (state.rate != null && !state.rate.tryConsume(1)) {
        return new Admission.Refused("connections-per-minute");
      }
      state.active++;
      return new Admission.Admitted(
          new UserAllowance(
              state.up,
              state.down,
              limits.bandwidthUpBps(),
              limits.bandwidthDownBps(),
              () -> {
                synchronized (state) {
                  state.active--;
                }
              }));
    }
  }

  /** Concurrent sessions of a user (for tests and metrics). */
  public int active(Object userId) {
    UserState s = users.get(userId);
    if (s == null) {
      return 0;
    }
    synchronized (s) {
      return s.active;
    }
  }

  public static Bucket bandwidth(long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      return null;
    }
    long capacity = Math.max(MIN_BURST, bytesPerSecond / BURST_DIVISOR);
    return Bucket.builder()
        .addLimit(l -> l.capacity(capacity).refillGreedy(bytesPerSecond, Duration.ofSeconds(1)))
        .build();
  }

  private static final class UserState {
    UserLimits limits;
    int active;
    Bucket rate;
    Bucket up;
    Bucket down;

    void rebuild(UserLimits l) {
      limits = l;
      int perMinute = l.connectionsPerMinute();
      rate =
          perMinute <= 0
              ? null
              : Bucket.builder()
                  .addLimit(
                      b -> b.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                  .build();
      up = bandwidth(l.bandwidthUpBps());
      down = bandwidth(l.bandwidthDownBps());
    }
  }
}
