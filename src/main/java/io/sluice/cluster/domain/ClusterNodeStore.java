package io.sluice.cluster.domain;

import java.time.Instant;
import java.util.List;

/** The node registry (table {@code cluster_node}) and the lease table it reports. */
public interface ClusterNodeStore {

  /** Inserts or renews this node's row. */
  void heartbeat(ClusterNode self, Instant now);

  /** Every registered node, with the leases valid at {@code now}, by name. */
  List<ClusterNode> nodes(Instant now);

  /** Removes this node's row (a clean stop). */
  void remove(String id);

  /** Deletes rows whose heartbeat is older than {@code cutoff}. */
  int purgeBefore(Instant cutoff);
}
