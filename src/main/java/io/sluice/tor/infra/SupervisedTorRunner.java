package io.sluice.tor.infra;

import io.sluice.platform.node.NodeIdentity;
import io.sluice.tor.domain.ExitInfo;
import io.sluice.tor.domain.NodeStatus;
import io.sluice.tor.domain.TorNodeFailed;
import io.sluice.tor.domain.TorNodeRecovered;
import io.sluice.tor.domain.TorNodeSignal;
import io.sluice.tor.domain.TorRunner;
import io.sluice.tor.domain.TorrcLines;
import io.sluice.tor.infra.control.TorControlConnection;
import io.sluice.tor.infra.process.ExitTracker;
import io.sluice.tor.infra.process.FleetConfig;
import io.sluice.tor.infra.process.NodeListener;
import io.sluice.tor.infra.process.NodeSupervisor;
import io.sluice.tor.infra.process.Timing;
import io.sluice.tor.infra.process.TorFleet;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@link TorRunner} on supervised tor processes of this server, configured by {@code
 * SLUICE_TOR_BINARY}, {@code SLUICE_TOR_DATA_DIR}, {@code SLUICE_TOR_TORRC_EXTRA} and the {@code
 * sluice.tor.*} properties ({@code docs/configuration.md}). Supervisor and control-reader threads
 * come from Liberty's managed thread factory. Nothing starts until the fleet's size is above 0.
 */
@ApplicationScoped
public class SupervisedTorRunner implements TorRunner {

  private static final System.Logger LOG = System.getLogger(SupervisedTorRunner.class.getName());

  @Resource ManagedThreadFactory threads;
  @Inject Event<TorNodeFailed> failed;
  @Inject Event<TorNodeRecovered> recovered;
  @Inject Event<TorNodeSignal> signals;
  @Inject NodeIdentity node;

  @Inject
  @ConfigProperty(name = "sluice.tor.binary")
  Optional<String> binarySetting;

  @Inject
  @ConfigProperty(name = "sluice.tor.data-dir", defaultValue = "tor")
  String dataDir;

  @Inject
  @ConfigProperty(name = "sluice.tor.torrc-extra")
  Optional<String> torrcExtraSetting;

  @Inject
  @ConfigProperty(name = "sluice.tor.fixed-ports", defaultValue = "false")
  boolean fixedPorts;

  @Inject
  @ConfigProperty(name = "sluice.tor.socks-port-base", defaultValue = "30000")
  int socksBase;

  @Inject
  @ConfigProperty(name = "sluice.tor.control-port-base", defaultValue = "40000")
  int controlBase;

  @Inject
  @ConfigProperty(name = "sluice.tor.port-count", defaultValue = "100")
  int portCount;

  @Inject
  @ConfigProperty(name = "sluice.tor.bootstrap-limit-seconds", defaultValue = "300")
  int bootstrapLimitSeconds;

  @Inject
  @ConfigProperty(name = "sluice.tor.max-circuit-dirtiness-seconds", defaultValue = "86400")
  int maxCircuitDirtiness;

  @Inject
  @ConfigProperty(name = "sluice.tor.server-name")
  Optional<String> serverNameSetting;

  private TorFleet fleet;
  private String binary;
  private String torrcExtra;
  private String serverName;

  @jakarta.annotation.PostConstruct
  void settings() {
    binary = binarySetting.orElse("");
    torrcExtra = torrcExtraSetting.orElse("");
    serverName = serverNameSetting.orElse("");
  }

  /**
   * {@code sluice.tor.server-name}, else this node's name ({@code sluice.node.name}, default host
   * name and HTTP port), so that two servers on one host keep their nodes apart.
   */
  @Override
  public String server() {
    if (serverName == null || serverName.isBlank()) {
      serverName = node.name();
    }
    return serverName;
  }

  private synchronized TorFleet fleet() {
    if (fleet == null) {
      List<String> fileLines = List.of();
      if (!torrcExtra.isBlank()) {
        try {
          fileLines =
              TorrcLines.check(
                  Files.readAllLines(Path.of(torrcExtra), StandardCharsets.UTF_8), true);
        } catch (IOException | IllegalArgumentException e) {
          throw new IllegalStateException(
              "SLUICE_TOR_TORRC_EXTRA " + torrcExtra + ": " + e.getMessage(), e);
        }
      }
      Timing d = Timing.defaults();
      FleetConfig c =
          new FleetConfig(
              tor(),
              Path.of(dataDir).toAbsolutePath(),
              fixedPorts,
              socksBase,
              controlBase,
              portCount,
              fileLines,
              maxCircuitDirtiness,
              new Timing(
                  d.startLimit(),
                  Duration.ofSeconds(Math.max(10, bootstrapLimitSeconds)),
                  d.livenessLimit(),
                  d.backoffBase(),
                  d.backoffMax(),
                  d.maxConsecutiveCrashes(),
                  d.stableAfter(),
                  d.stopGrace(),
                  d.controlTimeout()));
      fleet = new TorFleet(c, threads, new Listener(), RandomGenerator.getDefault());
      LOG.log(
          Level.INFO,
          "SLUICE1010I: tor fleet uses {0}, data in {1}, {2} extra torrc line(s) from the file",
          c.binary(),
          c.dataDirectory(),
          fileLines.size());
    }
    return fleet;
  }

  private Path tor() {
    if (binary != null && !binary.isBlank()) {
      return Path.of(binary);
    }
    for (String d : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin")) {
      Path p = Path.of(d, "tor");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return Path.of("tor");
  }

  @Override
  public List<Integer> scale(
      int size, IntFunction<List<String>> countries, List<String> settingsLines) {
    if (size == 0 && fleet == null) {
      return List.of();
    }
    return fleet().scale(size, countries, settingsLines);
  }

  @Override
  public void stop(int index) {
    if (fleet != null) {
      fleet.stopNode(index);
    }
  }

  @Override
  public void reconfigure(IntFunction<List<String>> countries, List<String> settingsLines) {
    if (fleet == null) {
      return;
    }
    int size = fleet.nodes().size();
    fleet.stopAll();
    fleet.scale(size, countries, settingsLines);
  }

  @Override
  public List<Integer> changeCountries(IntFunction<List<String>> countries) {
    if (fleet == null) {
      return List.of();
    }
    List<Integer> changed = new java.util.ArrayList<>();
    for (NodeSupervisor n : fleet.nodes()) {
      List<String> cc = countries.apply(n.index());
      if (!cc.equals(n.config().countries())) {
        n.changeCountries(cc);
        changed.add(n.index());
      }
    }
    return changed;
  }

  @Override
  public boolean pin(int index, String fingerprint) {
    return fleet != null && fleet.node(index).map(n -> n.pin(fingerprint)).orElse(false);
  }

  @Override
  public Map<Integer, NodeStatus> statuses() {
    return fleet == null ? Map.of() : fleet.statuses();
  }

  @Override
  public boolean rotate(int index) {
    return fleet != null && fleet.node(index).map(NodeSupervisor::rotate).orElse(false);
  }

  @Override
  public Optional<ExitInfo> currentExit(int index) {
    NodeSupervisor node = fleet == null ? null : fleet.node(index).orElse(null);
    TorControlConnection c = node == null ? null : node.control();
    if (c == null) {
      return Optional.empty();
    }
    try {
      return ExitTracker.current(c, node.usedCircuit());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  @PreDestroy
  public void stopAll() {
    if (fleet != null) {
      fleet.stopAll();
    }
  }

  /** Supervisor reports as CDI events. */
  private final class Listener implements NodeListener {

    @Override
    public void changed(NodeStatus status) {
      signals.fire(new TorNodeSignal("changed", status.index()));
    }

    @Override
    public void down(int index, String reason) {
      failed.fire(new TorNodeFailed(server(), index, reason, false));
    }

    @Override
    public void failed(int index, String reason) {
      failed.fire(new TorNodeFailed(server(), index, reason, true));
    }

    @Override
    public void recovered(int index) {
      recovered.fire(new TorNodeRecovered(server(), index));
    }

    @Override
    public void newnymDone(int index) {
      signals.fire(new TorNodeSignal("newnym", index));
    }

    @Override
    public void newnymDeferred(int index, int seconds) {
      signals.fire(new TorNodeSignal("deferred", index));
    }

    @Override
    public void restarting(int index, long backoffMillis) {
      signals.fire(new TorNodeSignal("restarting", index));
    }
  }
}
