package io.sluice.tunnels.app;

import io.sluice.tunnels.domain.TunnelMapping;
import io.sluice.tunnels.domain.TunnelMappingRepository;
import io.sluice.tunnels.domain.TunnelStatsDelta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link TunnelMappingRepository} in memory, for unit tests. Like the table, a public port can be
 * mapped once; {@link #takenElsewhere} simulates another node taking ports between the read of the
 * used ports and the insert.
 */
final class InMemoryTunnelMappingRepository implements TunnelMappingRepository {

  private final TreeMap<Long, TunnelMapping> rows = new TreeMap<>();
  private final Map<Long, StoredStats> stats = new HashMap<>();

  /** Ports another node holds: not in {@link #publicPorts()} yet, but inserts on them fail. */
  final Set<Integer> takenElsewhere = new HashSet<>();

  boolean failStatsWrites;
  private long sequence;

  @Override
  public long nextId() {
    return ++sequence;
  }

  @Override
  public void insert(TunnelMapping mapping) {
    if (takenElsewhere.contains(mapping.publicPort())
        || rows.values().stream().anyMatch(m -> m.publicPort() == mapping.publicPort())) {
      throw new IllegalStateException("unique constraint: public_port " + mapping.publicPort());
    }
    rows.put(mapping.id(), mapping);
    stats.put(
        mapping.id(), new StoredStats(mapping.publicPort(), mapping.agentId(), 0, 0, 0, 0, null));
  }

  @Override
  public Set<Integer> publicPorts() {
    Set<Integer> used = new HashSet<>();
    rows.values().forEach(m -> used.add(m.publicPort()));
    return used;
  }

  @Override
  public List<TunnelMapping> all(Long agentId) {
    List<TunnelMapping> out = new ArrayList<>();
    rows.values().stream().filter(m -> agentId == null || m.agentId() == agentId).forEach(out::add);
    return out;
  }

  @Override
  public Optional<TunnelMapping> byId(long id) {
    return Optional.ofNullable(rows.get(id));
  }

  @Override
  public boolean delete(long id) {
    stats.remove(id);
    return rows.remove(id) != null;
  }

  @Override
  public Optional<StoredStats> stats(long id) {
    return Optional.ofNullable(stats.get(id));
  }

  @Override
  public void addStats(Map<Long, TunnelStatsDelta> deltas) {
    if (failStatsWrites) {
      throw new IllegalStateException("database down");
    }
    deltas.forEach((id, d) ->
        stats.computeIfPresent(
            id,
            (k, s) ->
                new StoredStats(
                    s.publicPort(),
                    s.agentId(),
                    s.totalConnections() + d.connections(),
                    s.bytesIn() + d.bytesIn(),
                    s.bytesOut() + d.bytesOut(),
                    s.errors() + d.errors(),
                    d.lastActivity() == null ? s.lastActivity() : d.lastActivity())));
  }
}
