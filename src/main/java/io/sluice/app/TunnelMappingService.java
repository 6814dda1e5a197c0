package io.sluice.app;

import io.sluice.infra.persistence.SqlValues;
import io.sluice.engine.policy.SourceWhitelist;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Tunnel mappings (admin-defined public ports relayed through an agent). Ports are given or
 * allocated from {@code sluice.tunnel.ports} (default 20000-20999): each attempt inserts under the
 * unique public port in its own transaction, so concurrent allocations on several nodes never
 * hand out one port twice. The relay that listens on these ports is not built yet.
 */
@ApplicationScoped
public class TunnelMappingService {

  private static final int MAX_ATTEMPTS = 50;

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Inject AgentService agents;
  @Inject @ConfigProperty(name = "sluice.tunnel.ports", defaultValue = "20000-20999") String range;

  /** A mapping as the API shows it. */
  public record Mapping(long id, long agentId, String targetHost, int targetPort, int publicPort,
      List<String> allowedSources, long bandwidthBps, int maxConnections, Instant createdAt) {}

  /** The writable fields of a new mapping. */
  public record Spec(Long agentId, String targetHost, Long targetPort, Long publicPort, List<String> allowedSources,
      Long bandwidthBps, Long maxConnections) {}

  public Mapping create(Spec s) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    if (s.agentId() == null) {
      errors.add(new ApiException.FieldError("agentId", "is required"));
    }
    if (s.targetHost() == null || !s.targetHost().matches("[A-Za-z0-9.:\\[\\]-]{1,255}")) {
      errors.add(new ApiException.FieldError("targetHost", "is required: a host name or IP address"));
    }
    if (s.targetPort() == null || s.targetPort() < 1 || s.targetPort() > 65535) {
      errors.add(new ApiException.FieldError("targetPort", "is required: 1-65535"));
    }
    int[] bounds = bounds();
    if (s.publicPort() != null && (s.publicPort() < bounds[0] || s.publicPort() > bounds[1])) {
      errors.add(new ApiException.FieldError("publicPort", "must be within sluice.tunnel.ports " + range));
    }
    if (s.allowedSources() != null) {
      try {
        SourceWhitelist.parse(s.allowedSources());
      } catch (IllegalArgumentException e) {
        errors.add(new ApiException.FieldError("allowedSources", e.getMessage()));
      }
    }
    if (s.bandwidthBps() != null && s.bandwidthBps() < 0) {
      errors.add(new ApiException.FieldError("bandwidthBps", "must be 0 (unlimited) or greater"));
    }
    if (s.maxConnections() != null && (s.maxConnections() < 0 || s.maxConnections() > 1_000_000)) {
      errors.add(new ApiException.FieldError("maxConnections", "must be 0 (unlimited) or greater"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    agents.get(s.agentId()); // 404 for an unknown agent
    if (s.publicPort() != null) {
      try {
        return self().insert(s, s.publicPort().intValue());
      } catch (RuntimeException taken) {
        throw ApiException.conflict("public port " + s.publicPort() + " is already mapped");
      }
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      int port = DedicatedPortService.firstFree(self().usedPorts(), bounds, attempt);
      if (port < 0) {
        throw new ApiException(409, "ports-exhausted", "No free tunnel port", "every port in " + range + " is mapped", null);
      }
      try {
        return self().insert(s, port);
      } catch (RuntimeException lostRace) {
        // another mapping took this port meanwhile: try the next free one
      }
    }
    throw new ApiException(503, "allocation-contention", "Allocation contention",
        "could not allocate a tunnel port after " + MAX_ATTEMPTS + " attempts; retry", null);
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Mapping insert(Spec s, int port) {
    long id = ((Number) em.createNativeQuery("SELECT nextval('tunnel_mapping_seq')").getSingleResult()).longValue();
    em.createNativeQuery("INSERT INTO tunnel_mapping (id, agent_id, target_host, target_port, public_port, allowed_sources, "
            + "bandwidth_bps, max_connections, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .setParameter(1, id).setParameter(2, s.agentId()).setParameter(3, s.targetHost())
        .setParameter(4, s.targetPort().intValue()).setParameter(5, port)
        .setParameter(6, s.allowedSources() == null || s.allowedSources().isEmpty() ? null : String.join(",", s.allowedSources()))
        .setParameter(7, s.bandwidthBps() == null ? 0L : s.bandwidthBps())
        .setParameter(8, s.maxConnections() == null ? 0 : s.maxConnections().intValue())
        .setParameter(9, Timestamp.from(Instant.now())).executeUpdate();
    em.flush();
    return get(id);
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Set<Integer> usedPorts() {
    Set<Integer> used = new HashSet<>();
    for (Object o : em.createNativeQuery("SELECT public_port FROM tunnel_mapping").getResultList()) {
      used.add(((Number) o).intValue());
    }
    return used;
  }

  @Transactional
  public List<Mapping> list(Long agentId) {
    var q = em.createNativeQuery("SELECT id, agent_id, target_host, target_port, public_port, allowed_sources, "
        + "bandwidth_bps, max_connections, created_at FROM tunnel_mapping"
        + (agentId == null ? "" : " WHERE agent_id = ?") + " ORDER BY id");
    if (agentId != null) {
      q.setParameter(1, agentId);
    }
    List<Mapping> out = new ArrayList<>();
    for (Object o : q.getResultList()) {
      out.add(view((Object[]) o));
    }
    return out;
  }

  @Transactional
  public Mapping get(long id) {
    List<?> rows = em.createNativeQuery("SELECT id, agent_id, target_host, target_port, public_port, allowed_sources, "
        + "bandwidth_bps, max_connections, created_at FROM tunnel_mapping WHERE id = ?").setParameter(1, id).getResultList();
    if (rows.isEmpty()) {
      throw ApiException.notFound("tunnel " + id);
    }
    return view((Object[]) rows.get(0));
  }

  @Transactional
  public void close(long id) {
    if (em.createNativeQuery("DELETE FROM tunnel_mapping WHERE id = ?").setParameter(1, id).executeUpdate() == 0) {
      throw ApiException.notFound("tunnel " + id);
    }
  }

  private TunnelMappingService self() {
    return jakarta.enterprise.inject.spi.CDI.current().select(TunnelMappingService.class).get();
  }

  int[] bounds() {
    String[] parts = range.trim().split("-");
    int lo = Integer.parseInt(parts[0].trim());
    int hi = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : lo;
    return new int[] {lo, hi};
  }

  private static Mapping view(Object[] r) {
    String sources = (String) r[5];
    Instant at = SqlValues.instant(r[8]);
    return new Mapping(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), (String) r[2],
        ((Number) r[3]).intValue(), ((Number) r[4]).intValue(),
        sources == null ? List.of() : Arrays.stream(sources.split(",")).map(String::trim).toList(),
        ((Number) r[6]).longValue(), ((Number) r[7]).intValue(), at);
  }
}
