package io.sluice.tunnels.infra;

import io.sluice.platform.db.SqlValues;
import io.sluice.tunnels.domain.TunnelMapping;
import io.sluice.tunnels.domain.TunnelMappingRepository;
import io.sluice.tunnels.domain.TunnelStatsDelta;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link TunnelMappingRepository} on {@code tunnel_mapping} with native SQL (the table has no
 * entity).
 */
@ApplicationScoped
public class JpaTunnelMappingRepository implements TunnelMappingRepository {

  private static final String COLUMNS =
      "SELECT id, agent_id, target_host, target_port, public_port, allowed_sources, "
          + "bandwidth_bps, max_connections, created_at FROM tunnel_mapping";

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Override
  public long nextId() {
    return ((Number) em.createNativeQuery("SELECT nextval('tunnel_mapping_seq')").getSingleResult())
        .longValue();
  }

  @Override
  public void insert(TunnelMapping m) {
    em.createNativeQuery(
            "INSERT INTO tunnel_mapping (id, agent_id, target_host, target_port, public_port, allowed_sources, "
                + "bandwidth_bps, max_connections, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .setParameter(1, m.id())
        .setParameter(2, m.agentId())
        .setParameter(3, m.targetHost())
        .setParameter(4, m.targetPort())
        .setParameter(5, m.publicPort())
        .setParameter(
            6,
            m.allowedSources() == null || m.allowedSources().isEmpty()
                ? null
                : String.join(",", m.allowedSources()))
        .setParameter(7, m.bandwidthBps())
        .setParameter(8, m.maxConnections())
        .setParameter(9, Timestamp.from(m.createdAt()))
        .executeUpdate();
    em.flush();
  }

  @Override
  public Set<Integer> publicPorts() {
    Set<Integer> used = new HashSet<>();
    for (Object o :
        em.createNativeQuery("SELECT public_port FROM tunnel_mapping").getResultList()) {
      used.add(((Number) o).intValue());
    }
    return used;
  }

  @Override
  public List<TunnelMapping> all(Long agentId) {
    var q =
        em.createNativeQuery(
            COLUMNS + (agentId == null ? "" : " WHERE agent_id = ?") + " ORDER BY id");
    if (agentId != null) {
      q.setParameter(1, agentId);
    }
    List<TunnelMapping> out = new ArrayList<>();
    for (Object o : q.getResultList()) {
      out.add(mapping((Object[]) o));
    }
    return out;
  }

  @Override
  public Optional<TunnelMapping> byId(long id) {
    List<?> rows =
        em.createNativeQuery(COLUMNS + " WHERE id = ?").setParameter(1, id).getResultList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(mapping((Object[]) rows.get(0)));
  }

  @Override
  public boolean delete(long id) {
    return em.createNativeQuery("DELETE FROM tunnel_mapping WHERE id = ?")
            .setParameter(1, id)
            .executeUpdate()
        > 0;
  }

  @Override
  public Optional<StoredStats> stats(long id) {
    List<?> rows =
        em.createNativeQuery(
                "SELECT public_port, agent_id, total_connections, bytes_in, bytes_out, errors, "
                    + "last_activity_at FROM tunnel_mapping WHERE id = ?")
            .setParameter(1, id)
            .getResultList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Object[] r = (Object[]) rows.get(0);
    return Optional.of(
        new StoredStats(
            ((Number) r[0]).intValue(),
            ((Number) r[1]).longValue(),
            ((Number) r[2]).longValue(),
            ((Number) r[3]).longValue(),
            ((Number) r[4]).longValue(),
            ((Number) r[5]).longValue(),
            SqlValues.instant(r[6])));
  }

  @Override
  public void addStats(Map<Long, TunnelStatsDelta> deltas) {
    for (var e : deltas.entrySet()) {
      TunnelStatsDelta d = e.getValue();
      em.createNativeQuery(
              "UPDATE tunnel_mapping SET total_connections = total_connections + ?, bytes_in = bytes_in + ?, "
                  + "bytes_out = bytes_out + ?, errors = errors + ?, last_activity_at = COALESCE(?, last_activity_at) "
                  + "WHERE id = ?")
          .setParameter(1, d.connections())
          .setParameter(2, d.bytesIn())
          .setParameter(3, d.bytesOut())
          .setParameter(4, d.errors())
          .setParameter(5, d.lastActivity() == null ? null : Timestamp.from(d.lastActivity()))
          .setParameter(6, e.getKey())
          .executeUpdate();
    }
  }

  private static TunnelMapping mapping(Object[] r) {
    String sources = (String) r[5];
    return new TunnelMapping(
        ((Number) r[0]).longValue(),
        ((Number) r[1]).longValue(),
        (String) r[2],
        ((Number) r[3]).intValue(),
        ((Number) r[4]).intValue(),
        sources == null ? List.of() : Arrays.stream(sources.split(",")).map(String::trim).toList(),
        ((Number) r[6]).longValue(),
        ((Number) r[7]).intValue(),
        SqlValues.instant(r[8]));
  }
}
