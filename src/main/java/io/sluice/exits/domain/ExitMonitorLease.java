package io.sluice.exits.domain;

import java.time.Instant;

/**
 * The cluster-wide lease that lets exactly one node run a round of the periodic exit monitor.
 * Callers own the transaction.
 */
public interface ExitMonitorLease {

  /**
   * Takes the lease for {@code holder} until {@code until} if it has expired, or renews it if
   * {@code holder} already has it; {@code false} when another node holds it.
   */
  boolean acquire(String holder, Instant until);
}
