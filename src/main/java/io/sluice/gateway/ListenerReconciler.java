package io.sluice.gateway;

import io.sluice.engine.ListenerState;
import io.sluice.engine.ProxyEngine;
import io.sluice.engine.spi.ListenerTag;
import io.sluice.exits.app.ExitSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Keeps the engine's on-demand listeners in line with the database: one dedicated port per
 * assignment, one public port per tunnel mapping, and the data port of direct tunnel streams.
 * Listeners are identified by their {@link ListenerTag}; a port that cannot be bound is logged and
 * retried at the next refresh. Called by {@link ProxyHost} under its lock.
 */
@ApplicationScoped
class ListenerReconciler {

  private static final Logger LOG = System.getLogger(ListenerReconciler.class.getName());

  @Inject ProxySettings settings;
  @Inject MetricRegistry metrics;
  @Inject io.sluice.tunnels.app.TunnelMappingService tunnelMappings;
  @Inject io.sluice.tunnels.app.TunnelRouting tunnelRouting;
  @Inject io.sluice.tunnels.app.TunnelSettings tunnelSettings;
  @Inject io.sluice.tunnels.app.AgentPlacement agentPlacement;

  /** Binds a dedicated port per assignment of {@code snapshot} and releases the others. */
  void reconcileDedicated(ProxyEngine e, ExitSnapshot snapshot) {
    java.util.Set<ListenerTag> wanted = new java.util.HashSet<>();
    for (ExitSnapshot.Dedicated d : snapshot.dedicatedByPort().values()) {
      ListenerTag tag = new ListenerTag.Dedicated(d.userId());
      String name = tag.name();
      wanted.add(tag);
      ListenerState current = e.listenerStates().get(name);
      if (current != null
          && (current.config().bind().getPort() != d.port()
              || current.status() == ListenerState.Status.FAILED)) {
        e.removeListener(name);
        current = null;
      }
      if (current == null) {
        try {
          e.addListener(
              io.sluice.engine.config.ListenerConfig.of(
                  tag,
                  settings.bind(),
                  d.port(),
                  io.sluice.engine.config.ListenerKind.MIXED,
                  true));
          LOG.log(
              Level.INFO,
              "SLUICE0306I: listening on dedicated port {0} for proxy user {1}",
              new Object[] {d.port(), d.userId()});
        } catch (RuntimeException bindFailed) {
          LOG.log(
              Level.WARNING,
              "SLUICE0307W: cannot bind dedicated port {0}: {1}",
              new Object[] {d.port(), bindFailed.getMessage()});
        }
      }
    }
    for (ListenerState st : List.copyOf(e.listenerStates().values())) {
      ListenerTag tag = st.config().tag();
      if (tag instanceof ListenerTag.Dedicated && !wanted.contains(tag)) {
        e.removeListener(tag.name());
        LOG.log(Level.INFO, "SLUICE0308I: released dedicated listener {0}", tag.name());
      }
    }
  }

  /**
   * Binds the data port of direct tunnel streams ({@code sluice.tunnel.direct-port}, off when 0)
   * and lets agents' connections offer it. A port that cannot be bound is logged and left off:
   * streams then go over the WebSocket, which always works.
   */
  void bindDirectPort(ProxyEngine e) {
    int port = tunnelSettings.directPort();
    if (port <= 0) {
      return;
    }
    try {
      ListenerState st =
          e.addListener(
              io.sluice.engine.config.ListenerConfig.of(
                  ListenerTag.TUNNEL_DIRECT,
                  tunnelSettings.directBind(),
                  port,
                  io.sluice.engine.config.ListenerKind.TUNNEL_DIRECT,
                  false));
      if (st.status() == ListenerState.Status.BOUND) {
        io.sluice.engine.mux.DirectStreams ds = e.directStreams();
        ds.port(st.boundAddress().getPort());
        tunnelRouting.directStreams(ds);
        metrics.gauge(
            "sluice_tunnel_direct_connections",
            ds,
            io.sluice.engine.mux.DirectStreams::paired,
            new org.eclipse.microprofile.metrics.Tag("outcome", "paired"));
        metrics.gauge(
            "sluice_tunnel_direct_connections",
            ds,
            io.sluice.engine.mux.DirectStreams::rejected,
            new org.eclipse.microprofile.metrics.Tag("outcome", "rejected"));
        LOG.log(
            Level.INFO,
            "SLUICE0314I: direct tunnel streams: data port {0}",
            String.valueOf(st.boundAddress()));
        return;
      }
      directPortUnavailable(e, port, String.valueOf(st.error()));
    } catch (RuntimeException bindFailed) {
      directPortUnavailable(e, port, bindFailed.getMessage());
    }
  }

  private static void directPortUnavailable(ProxyEngine e, int port, String error) {
    e.removeListener(ListenerTag.TUNNEL_DIRECT.name());
    LOG.log(
        Level.WARNING,
        "SLUICE0315W: cannot bind the direct tunnel data port {0}: {1}; streams use the WebSocket",
        new Object[] {String.valueOf(port), error});
  }

  /**
   * Binds a TUNNEL listener on the public port of every mapping this node serves and releases the
   * others' ports. A node serves a mapping while the mapping's agent is connected to it, or while
   * the agent is connected to no live node (connections are then refused at once, counted as {@code
   * agent_offline}); a mapping whose agent is connected to another live node is served there only.
   * A port that cannot be bound is retried at the next refresh.
   */
  void reconcileTunnels(ProxyEngine e) {
    List<io.sluice.tunnels.domain.TunnelMapping> mappings = tunnelMappings.list(null);
    io.sluice.tunnels.app.AgentPlacement.Snapshot where = agentPlacement.snapshot();
    tunnelRouting.update(mappings);
    tunnelRouting.retain(
        mappings.stream()
            .map(io.sluice.tunnels.domain.TunnelMapping::id)
            .collect(java.util.stream.Collectors.toSet()));
    java.util.Set<ListenerTag> wanted = new java.util.HashSet<>();
    for (io.sluice.tunnels.domain.TunnelMapping m : mappings) {
      ListenerTag tag = new ListenerTag.Tunnel(m.id());
      String name = tag.name();
      if (!where.bindsHere(m.agentId())) {
        if (e.listenerStates().containsKey(name)) {
          LOG.log(
              Level.INFO,
              "SLUICE0718I: tunnel port {0} of mapping {1} is served by node {2}, where agent {3}"
                  + " is connected",
              new Object[] {
                String.valueOf(m.publicPort()),
                String.valueOf(m.id()),
                where.servingNode(m.agentId()).name(),
                String.valueOf(m.agentId())
              });
        }
        continue;
      }
      wanted.add(tag);
      ListenerState current = e.listenerStates().get(name);
      if (current != null && current.status() == ListenerState.Status.FAILED) {
        e.removeListener(name);
        current = null;
      }
      if (current == null) {
        try {
          e.addListener(
              io.sluice.engine.config.ListenerConfig.of(
                  tag,
                  tunnelSettings.bind(),
                  m.publicPort(),
                  io.sluice.engine.config.ListenerKind.TUNNEL,
                  false));
          LOG.log(
              Level.INFO,
              "SLUICE0310I: listening on tunnel port {0} for mapping {1} (agent {2} -> {3}:{4})",
              new Object[] {
                String.valueOf(m.publicPort()),
                String.valueOf(m.id()),
                String.valueOf(m.agentId()),
                m.targetHost(),
                String.valueOf(m.targetPort())
              });
        } catch (RuntimeException bindFailed) {
          LOG.log(
              Level.WARNING,
              "SLUICE0311W: cannot bind tunnel port {0}: {1}",
              new Object[] {String.valueOf(m.publicPort()), bindFailed.getMessage()});
        }
      }
    }
    for (ListenerState st : List.copyOf(e.listenerStates().values())) {
      ListenerTag tag = st.config().tag();
      if (tag instanceof ListenerTag.Tunnel && !wanted.contains(tag)) {
        e.removeListener(tag.name());
        LOG.log(Level.INFO, "SLUICE0312I: released tunnel listener {0}", tag.name());
      }
    }
  }
}
