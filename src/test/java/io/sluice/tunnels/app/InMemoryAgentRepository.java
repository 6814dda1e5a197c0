package io.sluice.tunnels.app;

import io.sluice.tunnels.domain.AgentRepository;
import io.sluice.tunnels.domain.TunnelAgent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** {@link AgentRepository} in memory, for unit tests of the tunnel services. */
final class InMemoryAgentRepository implements AgentRepository {

  private record Row(TunnelAgent agent, String tokenHash) {}

  private final TreeMap<Long, Row> rows = new TreeMap<>();
  private long sequence;

  @Override
  public boolean nameExists(String name) {
    return rows.values().stream().anyMatch(r -> r.agent().name().equals(name));
  }

  @Override
  public long nextId() {
    return ++sequence;
  }

  @Override
  public void insert(
      long id, String name, String tokenHash, List<String> allowedTargets, Instant now) {
    if (rows.containsKey(id) || nameExists(name)) {
      throw new IllegalStateException("duplicate key");
    }
    rows.put(
        id,
        new Row(
            new TunnelAgent(
                id,
                name,
                allowedTargets == null ? List.of() : List.copyOf(allowedTargets),
                true,
                now,
                now),
            tokenHash));
  }

  @Override
  public List<TunnelAgent> all() {
    return new ArrayList<>(rows.values().stream().map(Row::agent).toList());
  }

  @Override
  public Optional<TunnelAgent> byId(long id) {
    return Optional.ofNullable(rows.get(id)).map(Row::agent);
  }

  @Override
  public boolean setEnabled(long id, boolean enabled, Instant now) {
    Row r = rows.get(id);
    if (r == null) {
      return false;
    }
    TunnelAgent a = r.agent();
    rows.put(
        id,
        new Row(
            new TunnelAgent(id, a.name(), a.allowedTargets(), enabled, a.createdAt(), now),
            r.tokenHash()));
    return true;
  }

  @Override
  public boolean setTokenHash(long id, String tokenHash, Instant now) {
    Row r = rows.get(id);
    if (r == null) {
      return false;
    }
    TunnelAgent a = r.agent();
    rows.put(
        id,
        new Row(
            new TunnelAgent(id, a.name(), a.allowedTargets(), a.enabled(), a.createdAt(), now),
            tokenHash));
    return true;
  }

  @Override
  public boolean delete(long id) {
    return rows.remove(id) != null;
  }

  @Override
  public Optional<Credentials> credentials(long id) {
    return Optional.ofNullable(rows.get(id))
        .map(r -> new Credentials(r.tokenHash(), r.agent().enabled()));
  }

  String tokenHash(long id) {
    return rows.get(id).tokenHash();
  }

  private final java.util.Map<Long, String> placements = new java.util.HashMap<>();

  @Override
  public void place(long id, String node, Instant at) {
    if (rows.containsKey(id)) {
      placements.put(id, node);
    }
  }

  @Override
  public void unplace(long id, String node) {
    placements.remove(id, node);
  }

  @Override
  public java.util.Map<Long, String> placements() {
    placements.keySet().retainAll(rows.keySet());
    return java.util.Map.copyOf(placements);
  }
}
