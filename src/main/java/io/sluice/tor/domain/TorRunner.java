package io.sluice.tor.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/** The tor processes of this server (the port the fleet service drives; infra supervises them). */
public interface TorRunner {

  /** This server's name in {@code tor_node.server}. */
  String server();

  /**
   * Starts or stops nodes until {@code size} run; {@code countries} gives each index its exit
   * countries, {@code settingsLines} are checked extra torrc lines. Returns stopped indexes.
   */
  List<Integer> scale(int size, IntFunction<List<String>> countries, List<String> settingsLines);

  /** Stops one node and forgets it (after its sessions drained). */
  void stop(int index);

  /** Restarts every node with new settings (countries, extra lines). */
  void reconfigure(IntFunction<List<String>> countries, List<String> settingsLines);

  Map<Integer, NodeStatus> statuses();

  /** Sends NEWNYM to a node; false when it has no control connection. */
  boolean rotate(int index);

  /** The exit of the node's newest circuit in use, as tor reports it. */
  Optional<ExitInfo> currentExit(int index);

  void stopAll();
}
