package io.sluice.exits.domain;

import java.util.List;

/** The recent health checks of each exit. Callers own the transaction. */
public interface ExitCheckRepository {

  /** Stores {@code check} and deletes all but the newest {@code keep} checks of its exit. */
  void add(ExitCheckEntity check, int keep);

  /** The stored checks of one exit, newest first. */
  List<ExitCheckEntity> newest(long exitId);

  /**
   * The latencies of the stored successful checks of each of {@code exitIds}, newest first (exits
   * without any are absent).
   */
  java.util.Map<Long, List<Integer>> successfulLatencies(java.util.Collection<Long> exitIds);
}
