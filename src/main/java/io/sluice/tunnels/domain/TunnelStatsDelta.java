package io.sluice.tunnels.domain;

import java.time.Instant;

/**
 * Counts of one mapping on one node not yet added to its stored totals.
 *
 * @param lastActivity the latest activity seen, or null when there was none
 */
public record TunnelStatsDelta(
    long connections, long bytesIn, long bytesOut, long errors, Instant lastActivity) {

  /** True when there is nothing to add (the activity time alone is not worth a write). */
  public boolean isEmpty() {
    return connections == 0 && bytesIn == 0 && bytesOut == 0 && errors == 0;
  }
}
