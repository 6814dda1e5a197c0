package io.sluice.tunnels.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stored tunnel mappings and their statistics (table {@code tunnel_mapping}). Callers own the
 * transaction.
 */
public interface TunnelMappingRepository {

  /** A mapping's statistics as stored (totals of every node's flushed counts). */
  record StoredStats(
      int publicPort,
      long agentId,
      long totalConnections,
      long bytesIn,
      long bytesOut,
      long errors,
      Instant lastActivity) {}

  /** The next mapping id from the sequence. */
  long nextId();

  /**
   * Stores a mapping and flushes, so a public port that is already mapped fails here (unique
   * constraint) with a runtime exception.
   */
  void insert(TunnelMapping mapping);

  /** Every mapped public port. */
  Set<Integer> publicPorts();

  /** The mappings ordered by id, of one agent or (null) of all. */
  List<TunnelMapping> all(Long agentId);

  Optional<TunnelMapping> byId(long id);

  /** False when there is no such mapping. */
  boolean delete(long id);

  Optional<StoredStats> stats(long id);

  /**
   * Adds each mapping's counts to its stored totals (additive, so nodes never overwrite each
   * other).
   */
  void addStats(Map<Long, TunnelStatsDelta> deltas);
}
