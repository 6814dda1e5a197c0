package io.sluice.tor.infra.process;

import io.sluice.tor.domain.NodeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

/**
 * The tor nodes of this server, by index: grows by starting supervisors with the next free indexes,
 * shrinks by stopping the highest ones. Node {@code i} lives in {@code <dataDirectory>/node-i} and,
 * with fixed ports, uses {@code socksBase + i} and {@code controlBase + i}.
 */
public final class TorFleet {

  private final FleetConfig config;
  private final ThreadFactory threads;
  private final NodeListener listener;
  private final RandomGenerator random;
  private final TreeMap<Integer, NodeSupervisor> nodes = new TreeMap<>();

  public TorFleet(
      FleetConfig config, ThreadFactory threads, NodeListener listener, RandomGenerator random) {
    this.config = config;
    this.threads = threads;
    this.listener = listener;
    this.random = random;
  }

  /**
   * Starts nodes {@code size() .. size-1} or stops the highest ones until {@code size} run. {@code
   * countries} gives a node's exit countries by index; {@code settingsLines} are the checked extra
   * torrc lines of the settings. Returns the indexes of the nodes it stopped.
   */
  public synchronized List<Integer> scale(
      int size, IntFunction<List<String>> countries, List<String> settingsLines) {
    if (size < 0 || (config.fixedPorts() && size > config.portCount())) {
      throw new IllegalArgumentException(
          "size must be between 0 and " + (config.fixedPorts() ? config.portCount() : "any"));
    }
    List<NodeSupervisor> started = new ArrayList<>();
    for (int i = 0; nodes.size() < size; i++) {
      if (!nodes.containsKey(i)) {
        NodeSupervisor s =
            new NodeSupervisor(
                i,
                nodeConfig(i, countries.apply(i), settingsLines),
                config.timing(),
                threads,
                listener,
                random);
        nodes.put(i, s);
        started.add(s);
      }
    }
    List<NodeSupervisor> stopping = new ArrayList<>();
    while (nodes.size() > size) {
      stopping.add(nodes.pollLastEntry().getValue());
    }
    started.forEach(NodeSupervisor::start);
    List<Integer> stopped = new ArrayList<>();
    for (NodeSupervisor s : stopping) {
      s.stop();
      stopped.add(s.index());
    }
    return stopped;
  }

  NodeConfig nodeConfig(int i, List<String> countries, List<String> settingsLines) {
    List<String> extra = new ArrayList<>(settingsLines);
    extra.addAll(config.fileLines());
    return new NodeConfig(
        config.binary(),
        config.dataDirectory().resolve("node-" + i),
        config.fixedPorts() ? config.socksBase() + i : 0,
        config.fixedPorts() ? config.controlBase() + i : 0,
        countries,
        config.maxCircuitDirtinessSeconds(),
        extra,
        ProcessHandle.current().pid());
  }

  public synchronized Optional<NodeSupervisor> node(int index) {
    return Optional.ofNullable(nodes.get(index));
  }

  public synchronized List<NodeSupervisor> nodes() {
    return List.copyOf(nodes.values());
  }

  public synchronized Map<Integer, NodeStatus> statuses() {
    Map<Integer, NodeStatus> out = new TreeMap<>();
    nodes.forEach((i, s) -> out.put(i, s.status()));
    return out;
  }

  /** Stops one node (after its sessions drained) and forgets it. */
  public void stopNode(int index) {
    NodeSupervisor s;
    synchronized (this) {
      s = nodes.remove(index);
    }
    if (s != null) {
      s.stop();
    }
  }

  /** Stops every node. */
  public void stopAll() {
    List<NodeSupervisor> all;
    synchronized (this) {
      all = List.copyOf(nodes.values());
      nodes.clear();
    }
    all.parallelStream().forEach(NodeSupervisor::stop);
  }

  public FleetConfig config() {
    return config;
  }
}
