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

  /** Restarts every node with new settings (extra lines). */
  void reconfigure(IntFunction<List<String>> countries, List<String> settingsLines);

  /**
   * Gives each running node whose exit countries differ from {@code countries} its new ones without
   * a restart (and rotates it); returns the indexes that changed.
   */
  List<Integer> changeCountries(IntFunction<List<String>> countries);

  /** Pins a node to the exit relay {@code fingerprint} until its next rotation. */
  boolean pin(int index, String fingerprint);

  Map<Integer, NodeStatus> statuses();

  /** Sends NEWNYM to a node; false when it has no control connection. */
  boolean rotate(int index);

  /** The exit of the node's newest circuit in use, as tor reports it. */
  Optional<ExitInfo> currentExit(int index);

  void stopAll();
}
