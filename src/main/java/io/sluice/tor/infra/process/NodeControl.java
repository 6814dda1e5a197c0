package io.sluice.tor.infra.process;

import io.sluice.tor.infra.control.ControlException;
import io.sluice.tor.infra.control.ControlReply;
import io.sluice.tor.infra.control.TorControlConnection;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The control-port side of one tor node, for its {@link NodeSupervisor}: the two connections of one
 * life of the process (events: {@code STATUS_CLIENT}, {@code SIGNAL}, {@code NOTICE}, {@code
 * NETWORK_LIVENESS}, {@code STREAM}; and commands, which take ownership of tor), and what the
 * running node is told through them: rotations ({@code SIGNAL NEWNYM}), a pin to one exit, other
 * exit countries. The process itself (start, monitor, restart, stop) is the supervisor's.
 */
final class NodeControl {

  /** The supervisor's logger: these lines are the node's, and log settings name it. */
  private static final System.Logger LOG = System.getLogger(NodeSupervisor.class.getName());

  private static final List<String> EVENTS =
      List.of("STATUS_CLIENT", "SIGNAL", "NOTICE", "NETWORK_LIVENESS", "STREAM");

  private final int index;
  private final Supplier<NodeConfig> config;
  private final Timing timing;
  private final ThreadFactory threads;
  private final NodeProgress progress;
  private final Runnable changed;

  /** This life's connections (the supervisor's thread only), null between lives. */
  private TorControlConnection events;

  private TorControlConnection cmd;

  /** The command connection while the node runs (for rotations, pins, exit look-ups), else null. */
  private volatile TorControlConnection commands;

  private volatile String pinned;

  /**
   * @param config the node's current configuration (its exit countries change while it runs)
   * @param changed called when the node's status changed (rotation requested, pinned)
   */
  NodeControl(
      int index,
      Supplier<NodeConfig> config,
      Timing timing,
      ThreadFactory threads,
      NodeProgress progress,
      Runnable changed) {
    this.index = index;
    this.config = config;
    this.timing = timing;
    this.threads = threads;
    this.progress = progress;
    this.changed = changed;
  }

  /**
   * Connects to tor's control port twice (events to {@code onEvent}, and commands), authenticates
   * both with the cookie, takes ownership and subscribes to the events. Either connection closing
   * calls {@code onClosed}. Returns tor's bootstrap progress in percent. Whatever was opened is
   * closed by {@link #close}, also after a failure here.
   */
  int connect(
      InetSocketAddress addr, Path cookie, Consumer<ControlReply> onEvent, Runnable onClosed)
      throws IOException {
    events =
        TorControlConnection.open(
            addr, timing.controlTimeout(), threads, onEvent, r -> onClosed.run());
    events.authenticateWithCookie(cookie, timing.startLimit());
    cmd =
        TorControlConnection.open(
            addr, timing.controlTimeout(), threads, e -> {}, r -> onClosed.run());
    cmd.authenticateWithCookie(cookie, timing.startLimit());
    // tor exits as soon as this connection closes (and, through __OwningControllerProcess,
    // when this JVM dies).
    cmd.command("TAKEOWNERSHIP");
    events.setEvents(EVENTS);
    return BootstrapPhase.progress(cmd.getInfo("status/bootstrap-phase"));
  }

  /** The node is up: its command connection takes rotations, pins and exit look-ups. */
  void publish() {
    commands = cmd;
  }

  /** The node is going down: no more rotations, pins or exit look-ups through this life's link. */
  void unpublish() {
    commands = null;
  }

  /** Closes this life's connections (those that were opened). */
  void close() {
    if (cmd != null) {
      cmd.close();
    }
    if (events != null) {
      events.close();
    }
    cmd = null;
    events = null;
  }

  /** Whether both of this life's connections are still open. */
  boolean connected() {
    return cmd.isOpen() && events.isOpen();
  }

  /** tor's SOCKS port on 127.0.0.1 as the control port reports it, or null while there is none. */
  Integer socksPort() throws IOException {
    return socksPortOf(cmd.getInfo("net/listeners/socks"));
  }

  /** The port of the first {@code "127.0.0.1:n"} in a {@code net/listeners/socks} value. */
  static Integer socksPortOf(String listeners) {
    if (listeners == null) {
      return null;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"127\\.0\\.0\\.1:(\\d{1,5})\"").matcher(listeners);
    return m.find() ? Integer.valueOf(m.group(1)) : null;
  }

  /** The command connection while the node runs, else null (for exit look-ups). */
  TorControlConnection control() {
    TorControlConnection c = commands;
    return c != null && c.isOpen() ? c : null;
  }

  /**
   * Sends {@code SIGNAL NEWNYM}. The node shows {@code rotating} until tor's {@code 650 SIGNAL
   * NEWNYM} event; a rate-limit notice shows the rotation as {@code deferred}, not done.
   *
   * @return false when the node has no control connection (not started or restarting)
   */
  boolean rotate() {
    TorControlConnection c = commands;
    if (c == null || !c.isOpen()) {
      return false;
    }
    progress.requested();
    changed.run();
    try {
      if (pinned != null) {
        // the pin would keep tor on the same exit: give the node its configured exits first
        NodeConfig conf = config.get();
        c.command(ExitNodesConf.unpin(conf.countries(), conf.extraLines()));
        pinned = null;
      }
      closeUnusedCircuits(c);
      c.signal("NEWNYM");
      return true;
    } catch (IOException | IllegalArgumentException e) {
      progress.notSent();
      changed.run();
      return false;
    }
  }

  /**
   * Closes the node's circuits that carry no stream ({@code CLOSECIRCUIT id IfUnused}): NEWNYM
   * retires only the circuits streams have used, and tor keeps clean circuits it built ahead of
   * time (for the ports it predicts, while the node was pinned too), which a stream after the
   * rotation would take with the old exit. Circuits with open streams stay (their sessions go on).
   */
  private static void closeUnusedCircuits(TorControlConnection c) throws IOException {
    for (String id : ExitTracker.openCircuits(c.getInfo("circuit-status"))) {
      try {
        c.command("CLOSECIRCUIT " + id + " IfUnused");
      } catch (ControlException gone) {
        // closed meanwhile (552 Unknown circuit): nothing to do
      }
    }
  }

  /**
   * Pins the node to the exit relay {@code fingerprint} (the one its streams use): {@code SETCONF
   * ExitNodes=$fingerprint StrictNodes=1} until the next rotation, so tor cannot move the node's
   * new streams to another exit in between (its other clean circuits, predicted circuits). True
   * when it is pinned to that exit now.
   */
  boolean pin(String fingerprint) {
    TorControlConnection c = commands;
    if (c == null || !c.isOpen()) {
      return false;
    }
    if (fingerprint.equalsIgnoreCase(String.valueOf(pinned))) {
      return true;
    }
    try {
      c.command(ExitNodesConf.pin(fingerprint));
      pinned = fingerprint;
      LOG.log(Level.INFO, "SLUICE1027I: tor node {0} pinned to exit {1}", index, fingerprint);
      changed.run();
      return true;
    } catch (IOException | IllegalArgumentException e) {
      LOG.log(
          Level.WARNING,
          "SLUICE1028W: tor node {0} could not be pinned to exit {1}: {2}",
          index,
          fingerprint,
          e.getMessage());
      return false;
    }
  }

  /** The exit fingerprint the node is pinned to, or null. */
  String pinned() {
    return pinned;
  }

  /** A new life of the process starts without a pin. */
  void forgetPin() {
    pinned = null;
  }

  /**
   * Gives the running node the exit countries of its current configuration ({@code SETCONF}, then a
   * rotation so its next streams take an exit there). Returns whether the running tor took them
   * (false when it does not run).
   */
  boolean applyCountries(List<String> countries) {
    TorControlConnection c = commands;
    if (c == null || !c.isOpen()) {
      return false;
    }
    try {
      NodeConfig conf = config.get();
      c.command(ExitNodesConf.unpin(conf.countries(), conf.extraLines()));
      pinned = null;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
    LOG.log(Level.INFO, "SLUICE1029I: tor node {0} now exits in {1}", index, countries);
    return rotate();
  }
}
