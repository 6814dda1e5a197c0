package io.sluice.cluster.domain;

import java.time.Instant;
import java.util.List;

/** The cluster event log (table {@code cluster_event}). Every call is its own transaction. */
public interface ClusterEventStore {

  void append(String origin, String kind, Long subjectId, String subject, String detail);

  /** Events with an id above {@code afterId}, oldest first, at most {@code limit}. */
  List<ClusterEvent> after(long afterId, int limit);

  /** The newest id (0 when the log is empty). */
  long latestId();

  /** Deletes events created before {@code cutoff}; returns how many. */
  int purgeBefore(Instant cutoff);
}
