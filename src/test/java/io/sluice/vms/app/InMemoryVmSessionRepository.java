package io.sluice.vms.app;

import io.sluice.vms.domain.VmSessionEntity;
import io.sluice.vms.domain.VmSessionRepository;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link VmSessionRepository} in a map; {@link #vmDeleted} does what the {@code ON DELETE SET NULL}
 * foreign key does.
 */
final class InMemoryVmSessionRepository implements VmSessionRepository {

  final Map<Long, VmSessionEntity> rows = new TreeMap<>();
  private long nextId = 1;

  @Override
  public VmSessionEntity insert(VmSessionEntity session) {
    session.id = nextId++;
    rows.put(session.id, session);
    return session;
  }

  @Override
  public Optional<VmSessionEntity> byId(long vmId, long sessionId) {
    VmSessionEntity s = rows.get(sessionId);
    return s != null && s.vmId != null && s.vmId == vmId ? Optional.of(s) : Optional.empty();
  }

  @Override
  public List<VmSessionEntity> recent(long vmId, int limit) {
    return rows.values().stream()
        .filter(s -> s.vmId != null && s.vmId == vmId)
        .sorted(Comparator.comparing((VmSessionEntity s) -> s.id).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public int endOpen(long vmId, Instant at) {
    int n = 0;
    for (VmSessionEntity s : rows.values()) {
      if (s.vmId != null && s.vmId == vmId && s.endedAt == null) {
        s.endedAt = at;
        n++;
      }
    }
    return n;
  }

  @Override
  public Counts counts() {
    long active = rows.values().stream().filter(s -> s.endedAt == null && s.vmId != null).count();
    return new Counts(active, rows.size() - active);
  }

  void vmDeleted(long vmId) {
    rows.values().stream()
        .filter(s -> s.vmId != null && s.vmId == vmId)
        .forEach(s -> s.vmId = null);
  }
}
