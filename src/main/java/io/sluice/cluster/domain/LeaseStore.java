package io.sluice.cluster.domain;

import java.time.Instant;

/** Named cluster leases (table {@code cluster_lease}): one holder at a time per name. */
public interface LeaseStore {

  /**
   * Takes the lease {@code name} for {@code holder} until {@code until} when it is free or expired,
   * or renews it when {@code holder} has it; {@code false} when another holder has it.
   */
  boolean acquire(String name, String holder, Instant until);

  /** Gives the lease up if {@code holder} has it. */
  void release(String name, String holder);
}
