package io.sluice.exits.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Check jobs and their results. Callers own the transaction. */
public interface ExitCheckJobRepository {

  ExitCheckJobEntity insert(ExitCheckJobEntity job);

  Optional<ExitCheckJobEntity> find(long id);

  /** The newest {@code limit} jobs, newest first. */
  List<ExitCheckJobEntity> newest(int limit);

  void addResult(ExitCheckJobResultEntity result);

  /** The results of a job in the order they were stored. */
  List<ExitCheckJobResultEntity> results(long jobId);

  /**
   * Deletes (with their results) every job not among the newest {@code keep}, and every job started
   * before {@code before}; returns how many.
   */
  int prune(int keep, Instant before);
}
