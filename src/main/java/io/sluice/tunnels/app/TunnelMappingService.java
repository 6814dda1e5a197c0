package io.sluice.tunnels.app;

import io.sluice.exits.app.DedicatedPortService;
import io.sluice.platform.problem.ApiException;

import io.sluice.platform.db.SqlValues;
import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.tunnels.app.TunnelRouting;
import io.sluice.tunnels.domain.TunnelMappingsChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
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
 * hand out one port twice. Every change fires {@link TunnelMappingsChanged}, on which the proxy
 * host binds or releases the public port; statistics are kept by {@link TunnelRouting} and
 * added to the mapping's row by {@link #flushStats}.
 */
@ApplicationScoped
public class TunnelMappingService {

  private static final int MAX_ATTEMPTS = 50;

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Inject AgentService agents;
  @Inject TunnelRouting routing;
  @Inject Event<TunnelMappingsChanged> changed;
  @Inject @ConfigProperty(name = "sluice.tunnel.ports", defaultValue = "20000-20999") String range;

  /** A mapping as the API shows it. */
  public record Mapping(long id, long agentId, String targetHost, int targetPort, int publicPort,
      List<String> allowedSources, long bandwidthBps, int maxConnections, Instant createdAt) {}

  /**
   * A mapping's statistics: totals over all nodes as last flushed plus this node's unflushed
   * counts; {@code activeConnections} and {@code errorsByReason} (since start) are this node's.
   */
  public record Stats(long mappingId, int publicPort, long agentId, boolean agentConnected, int activeConnections,
      long totalConnections, long bytesIn, long bytesOut, long errors, Instant lastActivity,
      java.util.Map<String, Long> errorsByReason) {}

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
    checkAgentAllows(agents.get(s.agentId()), s.targetHost(), s.targetPort().intValue()); // 404 for an unknown agent
    if (s.publicPort() != null) {
      Mapping m;
      try {
        m = self().insert(s, s.publicPort().intValue());
      } catch (RuntimeException taken) {
        throw ApiException.conflict("public port " + s.publicPort() + " is already mapped");
      }
      changed.fire(new TunnelMappingsChanged(m.id(), true));
      return m;
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      int port = DedicatedPortService.firstFree(self().usedPorts(), bounds, attempt);
      if (port < 0) {
        throw new ApiException(409, "ports-exhausted", "No free tunnel port", "every port in " + range + " is mapped", null);
      }
      Mapping m;
      try {
        m = self().insert(s, port);
      } catch (RuntimeException lostRace) {
        continue; // another mapping took this port meanwhile: try the next free one
      }
      changed.fire(new TunnelMappingsChanged(m.id(), true));
      return m;
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
    changed.fire(new TunnelMappingsChanged(id, false));
  }

  @Transactional
  public Stats stats(long id) {
    List<?> rows = em.createNativeQuery("SELECT public_port, agent_id, total_connections, bytes_in, bytes_out, errors, "
        + "last_activity_at FROM tunnel_mapping WHERE id = ?").setParameter(1, id).getResultList();
    if (rows.isEmpty()) {
      throw ApiException.notFound("tunnel " + id);
    }
    Object[] r = (Object[]) rows.get(0);
    TunnelRouting.Delta unflushed = routing.peek(id);
    TunnelRouting.MappingStats live = routing.stats(id);
    Instant persisted = SqlValues.instant(r[6]);
    Instant last = unflushed.lastActivity() == null ? persisted
        : persisted == null || unflushed.lastActivity().isAfter(persisted) ? unflushed.lastActivity() : persisted;
    long agentId = ((Number) r[1]).longValue();
    return new Stats(id, ((Number) r[0]).intValue(), agentId, AgentConnections.isConnected(agentId), live.active(),
        ((Number) r[2]).longValue() + unflushed.connections(), ((Number) r[3]).longValue() + unflushed.bytesIn(),
        ((Number) r[4]).longValue() + unflushed.bytesOut(), ((Number) r[5]).longValue() + unflushed.errors(), last,
        live.errorsByReason());
  }

  /**
   * Adds this node's unflushed statistics to the mappings' rows in one transaction (additive, so
   * nodes never overwrite each other); on failure the counts are kept for the next flush.
   */
  public void flushStats() {
    java.util.Map<Long, TunnelRouting.Delta> deltas = routing.drainDeltas();
    if (deltas.isEmpty()) {
      return;
    }
    try {
      self().writeStats(deltas);
    } catch (RuntimeException e) {
      routing.restore(deltas);
      throw e;
    }
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void writeStats(java.util.Map<Long, TunnelRouting.Delta> deltas) {
    for (var e : deltas.entrySet()) {
      TunnelRouting.Delta d = e.getValue();
      em.createNativeQuery("UPDATE tunnel_mapping SET total_connections = total_connections + ?, bytes_in = bytes_in + ?, "
              + "bytes_out = bytes_out + ?, errors = errors + ?, last_activity_at = COALESCE(?, last_activity_at) "
              + "WHERE id = ?")
          .setParameter(1, d.connections()).setParameter(2, d.bytesIn()).setParameter(3, d.bytesOut())
          .setParameter(4, d.errors())
          .setParameter(5, d.lastActivity() == null ? null : Timestamp.from(d.lastActivity()))
          .setParameter(6, e.getKey()).executeUpdate();
    }
  }

  /**
   * An agent registered with {@code allowedTargets} may only be mapped to an IP address and port
   * those entries cover (server side; the agent's own {@code --allow} list is checked again on
   * its machine). Host names cannot be checked here, so they are refused for such agents.
   */
  static void checkAgentAllows(AgentService.Agent agent, String host, int port) {
    if (agent.allowedTargets().isEmpty()) {
      return;
    }
    java.net.InetAddress address = io.sluice.engine.net.DestinationGate.parseLiteral(host);
    if (address == null || !io.sluice.engine.policy.CidrPortList.parse(agent.allowedTargets()).matches(address, port)) {
      throw ApiException.validation(List.of(new ApiException.FieldError("targetHost",
          "agent " + agent.id() + " only allows " + String.join(", ", agent.allowedTargets())
              + " (an IP address and port covered by its allowedTargets)")));
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
