package io.sluice.exits.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.app.ClusterLeases;
import io.sluice.platform.node.NodeIdentity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exit monitor of one node: the lease holder runs the cluster's rounds; a node without the
 * lease checks only the tor exits it runs itself (their SOCKS port is 127.0.0.1 there), on the same
 * interval.
 */
class ExitMonitorTest {

  private boolean holdLease;
  private int fullRounds;
  private int ownRounds;
  private ExitMonitor monitor;

  @BeforeEach
  void setUp() {
    monitor = new ExitMonitor();
    monitor.intervalSeconds = 300;
    monitor.identity = new NodeIdentity();
    monitor.leases =
        new ClusterLeases() {
          @Override
          public boolean tryHold(String name, Duration ttl) {
            return holdLease;
          }
        };
    monitor.health =
        new ExitHealthService() {
          @Override
          public Summary checkAll(String pool, String state, String country) {
            fullRounds++;
            return new Summary(0, 0, 0, List.of());
          }

          @Override
          public Summary checkOwnTorExits() {
            ownRounds++;
            return new Summary(1, 0, 1, List.of());
          }
        };
  }

  @Test
  void aNodeWithoutTheLeaseChecksItsOwnTorExitsOncePerInterval() {
    monitor.tick();
    monitor.tick();
    monitor.tick();

    assertThat(ownRounds).as("own tor exits, once per interval").isEqualTo(1);
    assertThat(fullRounds).as("the cluster's rounds belong to the lease holder").isZero();
  }

  @Test
  void theLeaseHolderRunsTheClusterRoundsWhichIncludeItsOwnTorExits() {
    monitor.identity =
        new NodeIdentity() {
          @Override
          public java.time.Instant startedAt() {
            return java.time.Instant.now().minusSeconds(600); // up long before taking the lease
          }
        };
    holdLease = true;
    monitor.tick(); // taken over from a node that stopped: a round at once
    monitor.tick();

    assertThat(fullRounds).isEqualTo(1);
    assertThat(ownRounds).as("its own tor exits are part of its rounds").isZero();

    holdLease = false; // lost the lease: back to its own tor exits only
    monitor.tick();
    assertThat(ownRounds).isEqualTo(1);
    assertThat(fullRounds).isEqualTo(1);
  }
}
