package io.sluice.tunnels.app;

import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.exits.app.DedicatedPortService;
import io.sluice.platform.problem.ApiException;
import io.sluice.tunnels.domain.TunnelMapping;
import io.sluice.tunnels.domain.TunnelMappingRepository;
import io.sluice.tunnels.domain.TunnelMappingsChanged;
import io.sluice.tunnels.domain.TunnelStatsDelta;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Tunnel mappings (admin-defined public ports relayed through an agent). Ports are given or
 * allocated from {@code sluice.tunnel.ports} (default 20000-20999): each attempt inserts under the
 * unique public port in its own transaction ({@link TunnelMappingTransactions}), so concurrent
 * allocations on several nodes never hand out one port twice. Every change fires {@link
 * TunnelMappingsChanged}, on which the proxy host binds or releases the public port; statistics are
 * kept by {@link TunnelRouting} and added to the mapping's row by {@link #flushStats}.
 */
@ApplicationScoped
public class TunnelMappingService {

  private static final int MAX_ATTEMPTS = 50;

  @Inject TunnelMappingRepository repository;
  @Inject TunnelMappingTransactions transactions;
  @Inject AgentConnections connections;
  @Inject AgentService agents;
  @Inject TunnelRouting routing;
  @Inject Event<TunnelMappingsChanged> changed;

  @Inject
  @ConfigProperty(name = "sluice.tunnel.ports", defaultValue = "20000-20999")
  String range;

  /**
   * A mapping's statistics: totals over all nodes as last flushed plus this node's unflushed
   * counts; {@code activeConnections} and {@code errorsByReason} (since start) are this node's.
   */
  public record Stats(
      long mappingId,
      int publicPort,
      long agentId,
      boolean agentConnected,
      int activeConnections,
      long totalConnections,
      long bytesIn,
      long bytesOut,
      long errors,
      Instant lastActivity,
      java.util.Map<String, Long> errorsByReason) {}

  /** The writable fields of a new mapping. */
  public record Spec(
      Long agentId,
      String targetHost,
      Long targetPort,
      Long publicPort,
      List<String> allowedSources,
      Long bandwidthBps,
      Long maxConnections) {}

  public TunnelMapping create(Spec s) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    if (s.agentId() == null) {
      errors.add(new ApiException.FieldError("agentId", "is required"));
    }
    if (s.targetHost() == null || !s.targetHost().matches("[A-Za-z0-9.:\\[\\]-]{1,255}")) {
      errors.add(
          new ApiException.FieldError("targetHost", "is required: a host name or IP address"));
    }
    if (s.targetPort() == null || s.targetPort() < 1 || s.targetPort() > 65535) {
      errors.add(new ApiException.FieldError("targetPort", "is required: 1-65535"));
    }
    int[] bounds = bounds();
    if (s.publicPort() != null && (s.publicPort() < bounds[0] || s.publicPort() > bounds[1])) {
      errors.add(
          new ApiException.FieldError("publicPort", "must be within sluice.tunnel.ports " + range));
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
    checkAgentAllows(
        agents.get(s.agentId()),
        s.targetHost(),
        s.targetPort().intValue()); // 404 for an unknown agent
    if (s.publicPort() != null) {
      TunnelMapping m;
      try {
        m = insert(s, s.publicPort().intValue());
      } catch (RuntimeException taken) {
        throw ApiException.conflict("public port " + s.publicPort() + " is already mapped");
      }
      changed.fire(new TunnelMappingsChanged(m.id(), true));
      return m;
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      int port = DedicatedPortService.firstFree(transactions.usedPorts(), bounds, attempt);
      if (port < 0) {
        throw new ApiException(
            409,
            "ports-exhausted",
            "No free tunnel port",
            "every port in " + range + " is mapped",
            null);
      }
      TunnelMapping m;
      try {
        m = insert(s, port);
      } catch (RuntimeException lostRace) {
        continue; // another mapping took this port meanwhile: try the next free one
      }
      changed.fire(new TunnelMappingsChanged(m.id(), true));
      return m;
    }
    throw new ApiException(
        503,
        "allocation-contention",
        "Allocation contention",
        "could not allocate a tunnel port after " + MAX_ATTEMPTS + " attempts; retry",
        null);
  }

  private TunnelMapping insert(Spec s, int port) {
    return transactions.insert(id ->
        new TunnelMapping(
            id,
            s.agentId(),
            s.targetHost(),
            s.targetPort().intValue(),
            port,
            s.allowedSources() == null ? List.of() : s.allowedSources(),
            s.bandwidthBps() == null ? 0L : s.bandwidthBps(),
            s.maxConnections() == null ? 0 : s.maxConnections().intValue(),
            Instant.now()));
  }

  /**
   * A mapping as the API shows it: the stored fields plus {@code servedBy}, the node its agent is
   * connected to, which alone binds the public port (null while the agent is offline: then every
   * node binds it and refuses connections at once).
   */
  public record View(
      long id,
      long agentId,
      String targetHost,
      int targetPort,
      int publicPort,
      List<String> allowedSources,
      long bandwidthBps,
      int maxConnections,
      Instant createdAt,
      AgentPlacement.Node servedBy) {

    static View of(TunnelMapping m, AgentPlacement.Snapshot where) {
      return new View(
          m.id(),
          m.agentId(),
          m.targetHost(),
          m.targetPort(),
          m.publicPort(),
          m.allowedSources(),
          m.bandwidthBps(),
          m.maxConnections(),
          m.createdAt(),
          where.servingNode(m.agentId()));
    }
  }

  @Inject AgentPlacement placement;

  /** The mappings (of one agent, or all) with the node serving each. */
  @Transactional
  public List<View> views(Long agentId) {
    AgentPlacement.Snapshot where = placement.current();
    return repository.all(agentId).stream().map(m -> View.of(m, where)).toList();
  }

  /** One mapping with the node serving it. */
  @Transactional
  public View view(long id) {
    return View.of(get(id), placement.current());
  }

  @Transactional
  public List<TunnelMapping> list(Long agentId) {
    return repository.all(agentId);
  }

  @Transactional
  public TunnelMapping get(long id) {
    return repository.byId(id).orElseThrow(() -> ApiException.notFound("tunnel " + id));
  }

  @Transactional
  public void close(long id) {
    if (!repository.delete(id)) {
      throw ApiException.notFound("tunnel " + id);
    }
    changed.fire(new TunnelMappingsChanged(id, false));
  }

  @Transactional
  public Stats stats(long id) {
    TunnelMappingRepository.StoredStats r =
        repository.stats(id).orElseThrow(() -> ApiException.notFound("tunnel " + id));
    TunnelStatsDelta unflushed = routing.peek(id);
    TunnelRouting.MappingStats live = routing.stats(id);
    Instant persisted = r.lastActivity();
    Instant last =
        unflushed.lastActivity() == null
            ? persisted
            : persisted == null || unflushed.lastActivity().isAfter(persisted)
                ? unflushed.lastActivity()
                : persisted;
    return new Stats(
        id,
        r.publicPort(),
        r.agentId(),
        connections.isConnected(r.agentId()),
        live.active(),
        r.totalConnections() + unflushed.connections(),
        r.bytesIn() + unflushed.bytesIn(),
        r.bytesOut() + unflushed.bytesOut(),
        r.errors() + unflushed.errors(),
        last,
        live.errorsByReason());
  }

  /**
   * Adds this node's unflushed statistics to the mappings' rows in one transaction (additive, so
   * nodes never overwrite each other); on failure the counts are kept for the next flush.
   */
  public void flushStats() {
    java.util.Map<Long, TunnelStatsDelta> deltas = routing.drainDeltas();
    if (deltas.isEmpty()) {
      return;
    }
    try {
      transactions.writeStats(deltas);
    } catch (RuntimeException e) {
      routing.restore(deltas);
      throw e;
    }
  }

  /**
   * An agent registered with {@code allowedTargets} may only be mapped to an IP address and port
   * those entries cover (server side; the agent's own {@code --allow} list is checked again on its
   * machine). Host names cannot be checked here, so they are refused for such agents.
   */
  static void checkAgentAllows(AgentService.Agent agent, String host, int port) {
    if (agent.allowedTargets().isEmpty()) {
      return;
    }
    java.net.InetAddress address = io.sluice.engine.net.DestinationGate.parseLiteral(host);
    if (address == null
        || !io.sluice.engine.policy.CidrPortList.parse(agent.allowedTargets())
            .matches(address, port)) {
      throw ApiException.validation(
          List.of(
              new ApiException.FieldError(
                  "targetHost",
                  "agent "
                      + agent.id()
                      + " only allows "
                      + String.join(", ", agent.allowedTargets())
                      + " (an IP address and port covered by its allowedTargets)")));
    }
  }

  int[] bounds() {
    String[] parts = range.trim().split("-");
    int lo = Integer.parseInt(parts[0].trim());
    int hi = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : lo;
    return new int[] {lo, hi};
  }
}
