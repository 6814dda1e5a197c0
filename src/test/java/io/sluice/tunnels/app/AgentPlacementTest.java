package io.sluice.tunnels.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.app.ClusterBus;
import io.sluice.cluster.app.ClusterNodes;
import io.sluice.cluster.domain.ClusterEvent;
import io.sluice.cluster.domain.ClusterNode;
import io.sluice.platform.node.NodeIdentity;
import io.sluice.testsupport.RecordingEvent;
import io.sluice.tunnels.domain.AgentPlacementChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which node binds an agent's public ports (issue 11, item 6), on an in-memory repository. */
class AgentPlacementTest {

  private final InMemoryAgentRepository repository = new InMemoryAgentRepository();
  private final AgentConnections connections = new AgentConnections();
  private final AgentPlacement placement = new AgentPlacement();
  private final RecordingEvent<AgentPlacementChanged> fired = new RecordingEvent<>();
  private final List<ClusterNode> registry = new ArrayList<>();
  private final List<String> closed = new ArrayList<>();
  private NodeIdentity self;

  @BeforeEach
  void setUp() {
    self =
        new NodeIdentity() {
          @Override
          public String id() {
            return "a-id";
          }

          @Override
          public String name() {
            return "node-a";
          }

          @Override
          public String advertiseUrl() {
            return "http://a:9080";
          }
        };
    ClusterNodes nodes =
        new ClusterNodes() {
          @Override
          public List<NodeView> nodes() {
            Instant now = Instant.now();
            return registry.stream()
                .map(n ->
                    new NodeView(
                        n.id(),
                        n.name(),
                        n.version(),
                        n.advertiseUrl(),
                        n.listeners(),
                        n.startedAt(),
                        n.heartbeatAt(),
                        n.heartbeatAt().isAfter(now.minus(ALIVE)),
                        n.id().equals("a-id"),
                        n.leases()))
                .toList();
          }
        };
    placement.repository = repository;
    placement.connections = connections;
    placement.identity = self;
    placement.nodes = nodes;
    placement.changed = fired;
    for (long id = 1; id <= 3; id++) {
      repository.insert(id, "agent-" + id, "hash", List.of(), Instant.now());
    }
  }

  private void node(String id, String name, Duration heartbeatAge) {
    Instant beat = Instant.now().minus(heartbeatAge);
    registry.add(new ClusterNode(id, name, "1", "http://" + name, "", beat, beat, List.of()));
  }

  @Test
  void anOfflineAgentsPortsAreBoundEverywhere() {
    AgentPlacement.Snapshot s = placement.snapshot();

    assertThat(s.bindsHere(1)).isTrue();
    assertThat(s.servingNode(1)).isNull();
  }

  @Test
  void anAgentOnAnotherLiveNodeIsServedThereOnly() {
    node("b-id", "node-b", Duration.ofSeconds(2));
    repository.place(1, "b-id", Instant.now());

    AgentPlacement.Snapshot s = placement.snapshot();

    assertThat(s.bindsHere(1)).isFalse();
    assertThat(s.servingNode(1).name()).isEqualTo("node-b");
    assertThat(s.bindsHere(2)).as("another agent, offline").isTrue();
  }

  @Test
  void anAgentOnANodeWithoutAFreshHeartbeatCountsAsOffline() {
    node("dead-id", "node-dead", ClusterNodes.ALIVE.plusSeconds(1));
    repository.place(1, "dead-id", Instant.now());
    repository.place(2, "gone-id", Instant.now()); // a node that removed its row on stop

    AgentPlacement.Snapshot s = placement.snapshot();

    assertThat(s.bindsHere(1)).isTrue();
    assertThat(s.servingNode(1)).isNull();
    assertThat(s.bindsHere(2)).isTrue();
  }

  @Test
  void connectAndDisconnectWriteAndClearTheClaimAndTellTheCluster() {
    placement.connectedHere(1);

    assertThat(repository.placements()).containsEntry(1L, self.id());
    assertThat(placement.current().servingNode(1).name()).isEqualTo("node-a");

    placement.disconnectedHere(1);

    assertThat(repository.placements()).doesNotContainKey(1L);
    assertThat(fired.fired)
        .containsExactly(
            new AgentPlacementChanged(1, self.id(), true),
            new AgentPlacementChanged(1, self.id(), false));
  }

  @Test
  void aDisconnectDoesNotClearANewerClaimOfAnotherNode() {
    placement.connectedHere(1);
    node("b-id", "node-b", Duration.ZERO);
    repository.place(1, "b-id", Instant.now()); // the agent moved to B before A saw it go

    placement.disconnectedHere(1);

    assertThat(repository.placements()).containsEntry(1L, "b-id");
    assertThat(placement.snapshot().bindsHere(1)).isFalse();
  }

  @Test
  void theSnapshotPutsBackAMissingClaimAndClearsAStaleOne() {
    connect(1); // connected here while the database could not take the claim
    repository.place(2, self.id(), Instant.now()); // left over: agent 2 is not connected here

    AgentPlacement.Snapshot s = placement.snapshot();

    assertThat(repository.placements()).containsExactlyEntriesOf(Map.of(1L, self.id()));
    assertThat(s.servingNode(1).id()).isEqualTo(self.id());
    assertThat(s.bindsHere(1)).isTrue();
    assertThat(s.servingNode(2)).isNull();
  }

  @Test
  void aLocalConnectionWinsOverAnotherNodesClaim() {
    node("b-id", "node-b", Duration.ZERO);
    repository.place(1, "b-id", Instant.now());
    connect(1); // the agent's newest connection is here

    assertThat(placement.snapshot().bindsHere(1)).isTrue();
    assertThat(repository.placements()).containsEntry(1L, self.id());
  }

  @Test
  void anOlderConnectionHereIsDroppedWhenTheAgentConnectsElsewhereButNotANewerOne() {
    AgentService service = new AgentService();
    service.repository = repository;
    service.connections = connections;
    connect(1);
    Instant before = Instant.now().minusSeconds(5);

    service.remoteChange(
        new ClusterBus.RemoteChange(
            ClusterEvent.AGENT_PLACEMENT, 1L, "connected", null, "b-id", before));
    assertThat(closed).as("the connection here is newer than B's").isEmpty();

    service.remoteChange(
        new ClusterBus.RemoteChange(
            ClusterEvent.AGENT_PLACEMENT,
            1L,
            "connected",
            null,
            "b-id",
            Instant.now().plusSeconds(1)));
    assertThat(closed).containsExactly("the agent connected to another node");
    assertThat(connections.isConnected(1)).isFalse();
  }

  private void connect(long agentId) {
    TestLinks.connect(connections, agentId, closed::add);
  }
}
