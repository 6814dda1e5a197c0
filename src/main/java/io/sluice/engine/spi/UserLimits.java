package io.sluice.engine.spi;

/**
 * Per-user limits the engine enforces. A value of {@code 0} means "unlimited".
 *
 * @param maxConnections concurrent proxy sessions of one user on this node
 * @param bandwidthUpBps client-to-destination bytes per second (token bucket, shaped)
 * @param bandwidthDownBps destination-to-client bytes per second (token bucket, shaped)
 * @param connectionsPerMinute new sessions per minute
 */
public record UserLimits(
    int maxConnections, long bandwidthUpBps, long bandwidthDownBps, int connectionsPerMinute) {

  public static final UserLimits UNLIMITED = new UserLimits(0, 0, 0, 0);

  public UserLimits {
    if (maxConnections < 0
        || bandwidthUpBps < 0
        || bandwidthDownBps < 0
        || connectionsPerMinute < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
  }
}
