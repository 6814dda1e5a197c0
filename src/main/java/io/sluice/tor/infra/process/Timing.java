package io.sluice.tor.infra.process;

import java.time.Duration;

/**
 * The supervisor's limits.
 *
 * @param startLimit how long tor may take to write its control port
 * @param bootstrapLimit how long a node may stay below 100 % before it is restarted
 * @param livenessLimit how long a ready node may report {@code NETWORK_LIVENESS DOWN}
 * @param backoffBase the first restart's wait (before jitter); doubled per consecutive crash
 * @param backoffMax the longest wait between restarts
 * @param maxConsecutiveCrashes crashes in a row after which the node is {@code failed}
 * @param stableAfter how long a node must run for its crash count to start afresh
 * @param stopGrace how long tor has to exit after SIGTERM before SIGKILL
 * @param controlTimeout the time-out of one control command
 */
public record Timing(
    Duration startLimit,
    Duration bootstrapLimit,
    Duration livenessLimit,
    Duration backoffBase,
    Duration backoffMax,
    int maxConsecutiveCrashes,
    Duration stableAfter,
    Duration stopGrace,
    Duration controlTimeout) {

  public static Timing defaults() {
    return new Timing(
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        Duration.ofSeconds(2),
        Duration.ofMinutes(2),
        10,
        Duration.ofMinutes(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10));
  }

  /**
   * The wait before restart number {@code crashes} (1-based) in a row: {@code backoffBase *
   * 2^(n-1)} capped at {@code backoffMax}, then a random part of it between a half and all of it
   * (jitter), so that nodes that crashed together do not restart together. {@code unit} is a value
   * in [0, 1).
   */
  public long backoffMillis(int crashes, double unit) {
    long base = backoffBase.toMillis();
    int shift = Math.min(Math.max(crashes - 1, 0), 30);
    long full = Math.min(backoffMax.toMillis(), base << shift);
    if (full < 0) {
      full = backoffMax.toMillis();
    }
    return full / 2 + (long) ((full - full / 2) * unit);
  }
}
