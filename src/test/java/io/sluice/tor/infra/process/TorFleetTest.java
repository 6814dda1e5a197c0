package io.sluice.tor.infra.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.tor.domain.NodeState;
import io.sluice.tor.domain.NodeStatus;
import io.sluice.tor.infra.RealTor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supervised real tor processes, all with {@code DisableNetwork 1}. */
class TorFleetTest {

  @TempDir Path tmp;
  final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger downs = new AtomicInteger();
  final AtomicInteger recoveries = new AtomicInteger();
  final List<TorFleet> fleets = new ArrayList<>();

  final NodeListener listener =
      new NodeListener() {
        @Override
        public void failed(int index, String reason) {
          failures.add(index + ": " + reason);
        }

        @Override
        public void down(int index, String reason) {
          downs.incrementAndGet();
        }

        @Override
        public void recovered(int index) {
          recoveries.incrementAndGet();
        }
      };

  static Timing timing(Duration bootstrapLimit) {
    return new Timing(
        Duration.ofSeconds(20),
        bootstrapLimit,
        Duration.ofMinutes(5),
        Duration.ofSeconds(1),
        Duration.ofSeconds(8),
        5,
        Duration.ofMinutes(5),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5));
  }

  TorFleet fleet(boolean fixed, int controlBase, Duration bootstrapLimit, List<String> lines) {
    TorFleet f =
        new TorFleet(
            new FleetConfig(
                RealTor.binary(),
                tmp.resolve("tor"),
                fixed,
                30000,
                controlBase,
                100,
                lines,
                86400,
                timing(bootstrapLimit)),
            Thread.ofPlatform().factory(),
            listener,
            new Random(7));
    fleets.add(f);
    return f;
  }

  @AfterEach
  void stopAll() {
    fleets.forEach(TorFleet::stopAll);
  }

  private static void awaitStates(TorFleet f, int n, NodeState state) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() ->
            f.statuses().size() == n
                && f.statuses().values().stream().allMatch(s -> s.state() == state));
  }

  @Test
  void threeNodesBootstrapThenScaleToFiveAndToTwo() throws IOException {
    TorFleet f = fleet(false, 40000, Duration.ofMinutes(5), RealTor.OFFLINE);
    f.scale(3, i -> List.of(), List.of());
    awaitStates(f, 3, NodeState.BOOTSTRAPPING);
    List<NodeStatus> three = List.copyOf(f.statuses().values());
    assertThat(three).extracting(NodeStatus::bootstrapPercent).containsOnly(0);
    assertThat(three).extracting(NodeStatus::pid).doesNotHaveDuplicates().doesNotContainNull();
    assertThat(three).extracting(NodeStatus::controlPort).doesNotHaveDuplicates();
    // DisableNetwork 1: tor opens no SOCKS listener at all
    assertThat(three).extracting(NodeStatus::socksPort).containsOnlyNulls();
    for (int i = 0; i < 3; i++) {
      assertThat(Files.getPosixFilePermissions(tmp.resolve("tor/node-" + i)))
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }
    f.scale(5, i -> List.of(), List.of());
    awaitStates(f, 5, NodeState.BOOTSTRAPPING);
    List<Long> pidsOf234 =
        f.statuses().values().stream().filter(s -> s.index() >= 2).map(NodeStatus::pid).toList();
    assertThat(f.scale(2, i -> List.of(), List.of())).containsExactlyInAnyOrder(4, 3, 2);
    assertThat(f.statuses().keySet()).containsExactly(0, 1);
    for (long pid : pidsOf234) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
    assertThat(f.statuses().get(0).pid()).isEqualTo(three.get(0).pid());
    assertThat(failures).isEmpty();
  }

  @Test
  void killMinus9RestartsTheNodeAfterABackoff() throws Exception {
    TorFleet f = fleet(false, 40000, Duration.ofMinutes(5), RealTor.OFFLINE);
    f.scale(1, i -> List.of(), List.of());
    awaitStates(f, 1, NodeState.BOOTSTRAPPING);
    long pid = f.statuses().get(0).pid();
    new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          NodeStatus s = f.statuses().get(0);
          return s.restarts() == 1 && s.state() == NodeState.BOOTSTRAPPING;
        });
    NodeStatus s = f.statuses().get(0);
    assertThat(s.pid()).isNotEqualTo(pid);
    // first restart: base 1 s, jittered into [0.5 s, 1 s]
    assertThat(s.lastBackoffMillis()).isBetween(500L, 1000L);
    assertThat(s.error()).contains("tor exited");
    assertThat(downs.get()).isEqualTo(1);
    assertThat(recoveries.get()).isEqualTo(1);
  }

  @Test
  void aBadExtraLineFailsTheNodeWithoutARestartLoop() throws Exception {
    TorFleet f =
        fleet(false, 40000, Duration.ofMinutes(5), List.of("DisableNetwork 1", "NumEntryGuards x"));
    f.scale(1, i -> List.of(), List.of());
    awaitStates(f, 1, NodeState.FAILED);
    Thread.sleep(2000);
    NodeStatus s = f.statuses().get(0);
    assertThat(s.state()).isEqualTo(NodeState.FAILED);
    assertThat(s.restarts()).isZero();
    assertThat(s.pid()).isNull();
    assertThat(s.error()).contains("refused the configuration").contains("NumEntryGuards");
    assertThat(failures).hasSize(1);
  }

  @Test
  void aStuckBootstrapIsRestarted() {
    TorFleet f = fleet(false, 40000, Duration.ofSeconds(2), RealTor.OFFLINE);
    f.scale(1, i -> List.of(), List.of());
    await().atMost(Duration.ofSeconds(30)).until(() -> f.statuses().get(0).restarts() >= 1);
    assertThat(f.statuses().get(0).error()).contains("bootstrap stuck at 0 %");
  }

  @Test
  void fixedPortsComeFromTheRangeAndListenOnLoopbackOnly() throws IOException {
    TorFleet f = fleet(true, 31090, Duration.ofMinutes(5), RealTor.OFFLINE);
    f.scale(2, i -> List.of(), List.of());
    awaitStates(f, 2, NodeState.BOOTSTRAPPING);
    assertThat(f.statuses().values())
        .extracting(NodeStatus::controlPort)
        .containsExactly(31090, 31091);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), 31090)) {
      assertThat(s.isConnected()).isTrue();
    }
    assertThat(Files.readString(tmp.resolve("tor/node-1/torrc")))
        .contains("SocksPort 127.0.0.1:30001\n", "ControlPort 127.0.0.1:31091\n");
  }

  @Test
  void twoRotationsInARowAreDoneThenDeferredThenDone() {
    TorFleet f = fleet(false, 40000, Duration.ofMinutes(5), RealTor.OFFLINE);
    f.scale(1, i -> List.of(), List.of());
    awaitStates(f, 1, NodeState.BOOTSTRAPPING);
    NodeSupervisor n = f.node(0).orElseThrow();
    // tor rate-limits NEWNYM to one per 10 s from its start: wait for the first one to go through
    assertThat(n.rotate()).isTrue();
    await().atMost(Duration.ofSeconds(15)).until(() -> n.status().newnyms() == 1);
    assertThat(n.status().rotation()).isEqualTo("done");
    assertThat(n.rotate()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> n.status().rotation().equals("deferred"));
    assertThat(n.status().state()).isEqualTo(NodeState.ROTATING);
    assertThat(n.status().newnyms()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(15)).until(() -> n.status().newnyms() == 2);
    assertThat(n.status().rotation()).isEqualTo("done");
    assertThat(n.status().state()).isEqualTo(NodeState.BOOTSTRAPPING);
  }

  /** The running tor's ExitNodes and StrictNodes, as GETCONF answers. */
  private static List<String> exitConf(NodeSupervisor n) throws IOException {
    return n.control().command("GETCONF ExitNodes StrictNodes").lines().stream()
        .map(io.sluice.tor.infra.control.ControlReply.Line::text)
        .toList();
  }

  @Test
  void aPinHoldsUntilTheNextRotationAndCountriesChangeWithoutARestart() throws IOException {
    TorFleet f = fleet(false, 40000, Duration.ofMinutes(5), RealTor.OFFLINE);
    f.scale(1, i -> List.of("de"), List.of());
    awaitStates(f, 1, NodeState.BOOTSTRAPPING);
    NodeSupervisor n = f.node(0).orElseThrow();
    long pid = n.status().pid();
    assertThat(exitConf(n)).containsExactly("ExitNodes={de}", "StrictNodes=1");

    String fp = "0123456789ABCDEF0123456789ABCDEF01234567";
    assertThat(n.pin(fp)).isTrue();
    assertThat(exitConf(n)).containsExactly("ExitNodes=$" + fp, "StrictNodes=1");
    assertThat(n.status().pinnedExit()).isEqualTo(fp);
    assertThat(n.pin("not-a-fingerprint")).isFalse();
    assertThat(n.status().pinnedExit()).isEqualTo(fp);

    assertThat(n.rotate()).isTrue();
    assertThat(exitConf(n))
        .as("a rotation lifts the pin")
        .containsExactly("ExitNodes={de}", "StrictNodes=1");
    assertThat(n.status().pinnedExit()).isNull();

    assertThat(n.pin(fp)).isTrue();
    assertThat(n.changeCountries(List.of("us", "fr"))).isTrue();
    assertThat(exitConf(n)).containsExactly("ExitNodes={us},{fr}", "StrictNodes=1");
    assertThat(n.status().pinnedExit()).isNull();
    assertThat(n.config().countries()).containsExactly("us", "fr");
    assertThat(Torrc.render(n.config())).contains("ExitNodes {us},{fr}");

    assertThat(n.changeCountries(List.of())).isTrue();
    assertThat(exitConf(n))
        .as("no countries: tor's defaults")
        .satisfiesExactly(
            e -> assertThat(e).isIn("ExitNodes", "ExitNodes="),
            e -> assertThat(e).isEqualTo("StrictNodes=0"));
    assertThat(n.status().pid()).as("no restart").isEqualTo(pid);
    assertThat(failures).isEmpty();
  }
}
