package io.sluice.tunnels.app;

import io.sluice.cluster.app.ClusterNodes;
import io.sluice.platform.node.NodeIdentity;
import io.sluice.tunnels.domain.AgentPlacementChanged;
import io.sluice.tunnels.domain.AgentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each agent's WebSocket is held among the nodes that share the database, and so where its
 * mappings' public ports are bound (issue 11, item 6): a mapping is served only by the node its
 * agent is connected to; while the agent is connected to no live node, every node binds the port
 * and refuses connections at once ({@code agent_offline}). The holder writes its claim on connect,
 * clears it on disconnect, and re-asserts it at every {@link #snapshot}, so a claim lost to a
 * database outage comes back and a claim left by a node killed -9 stops counting once that node's
 * heartbeat is older than {@link ClusterNodes#ALIVE}.
 */
@ApplicationScoped
public class AgentPlacement {

  /** A node that holds agents' connections, as the API shows it. */
  public record Node(String id, String name, String advertiseUrl) {}

  /** Agent id -> the live node holding its connection; agents missing here are offline. */
  public record Snapshot(Map<Long, Node> byAgent, String self) {

    /** The node serving the agent's mappings, or null when the agent is offline everywhere. */
    public Node servingNode(long agentId) {
      return byAgent.get(agentId);
    }

    /** True when this node binds the agent's public ports: it holds the agent, or nobody does. */
    public boolean bindsHere(long agentId) {
      Node n = byAgent.get(agentId);
      return n == null || n.id().equals(self);
    }
  }

  @Inject AgentRepository repository;
  @Inject AgentConnections connections;
  @Inject NodeIdentity identity;
  @Inject ClusterNodes nodes;
  @Inject Event<AgentPlacementChanged> changed;

  /** The agent's connection is now held here. */
  @Transactional
  public void connectedHere(long agentId) {
    repository.place(agentId, identity.id(), Instant.now());
    changed.fire(new AgentPlacementChanged(agentId, identity.id(), true));
  }

  /** The agent's connection here ended (a claim another node made since stays). */
  @Transactional
  public void disconnectedHere(long agentId) {
    repository.unplace(agentId, identity.id());
    changed.fire(new AgentPlacementChanged(agentId, identity.id(), false));
  }

  /** The claims of live nodes as stored (read only; for the API's views). */
  @Transactional
  public Snapshot current() {
    return live(new HashMap<>(repository.placements()));
  }

  /**
   * Reads every claim, puts back this node's own (an agent connected here whose claim is missing or
   * names another node) and drops this node's stale ones, then keeps the claims of live nodes.
   */
  @Transactional
  public Snapshot snapshot() {
    String self = identity.id();
    Map<Long, String> stored = new HashMap<>(repository.placements());
    Instant now = Instant.now();
    for (Long agentId : connections.agentIds()) {
      if (!self.equals(stored.get(agentId))) {
        repository.place(agentId, self, now);
        stored.put(agentId, self);
      }
    }
    stored
        .entrySet()
        .removeIf(e -> {
          if (self.equals(e.getValue()) && !connections.isConnected(e.getKey())) {
            repository.unplace(e.getKey(), self);
            return true;
          }
          return false;
        });
    return live(stored);
  }

  private Snapshot live(Map<Long, String> stored) {
    String self = identity.id();
    Map<String, Node> live = new HashMap<>();
    live.put(self, new Node(self, identity.name(), identity.advertiseUrl()));
    for (ClusterNodes.NodeView n : nodes.nodes()) {
      if (n.alive() && !n.self()) {
        live.put(n.id(), new Node(n.id(), n.name(), n.advertiseUrl()));
      }
    }
    Map<Long, Node> byAgent = new HashMap<>();
    stored.forEach((agentId, node) -> {
      Node n = live.get(node);
      if (n != null) {
        byAgent.put(agentId, n);
      }
    });
    return new Snapshot(Map.copyOf(byAgent), self);
  }
}
