package io.sluice.tor.infra.process;

import io.sluice.tor.domain.NodeState;
import io.sluice.tor.domain.NodeStatus;
import io.sluice.tor.infra.control.ControlReply;
import io.sluice.tor.infra.control.TorControlConnection;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * Keeps one tor node alive on its own thread: writes the torrc and checks it with {@code tor
 * --verify-config} ({@link TorProcess#launch}; an invalid one marks the node {@code failed} and
 * nothing is retried), starts tor, connects twice to its control port (commands, and events: {@code
 * STATUS_CLIENT}, {@code SIGNAL}, {@code NOTICE}, {@code NETWORK_LIVENESS}, {@code STREAM} for the
 * circuit the last stream used), takes ownership, follows bootstrap from the control port only,
 * restarts a crashed or stuck node after an exponential backoff with jitter, and stops it with
 * SIGTERM then SIGKILL. The control-port work (the connections, rotations, pins, exit countries) is
 * {@link NodeControl}'s.
 */
public final class NodeSupervisor {

  private static final System.Logger LOG = System.getLogger(NodeSupervisor.class.getName());

  private final int index;
  private volatile NodeConfig config;
  private final Timing timing;
  private final ThreadFactory threads;
  private final NodeListener listener;
  private final RandomGenerator random;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private volatile boolean stopping;
  private volatile Thread thread;

  private volatile NodeState base = NodeState.STOPPED;
  private volatile Long pid;
  private volatile Integer socksPort;
  private volatile Integer controlPort;
  private volatile int restarts;
  private volatile long lastBackoff;
  private volatile String error;
  private final NodeProgress progress = new NodeProgress();
  private final NodeControl control;

  public NodeSupervisor(
      int index,
      NodeConfig config,
      Timing timing,
      ThreadFactory threads,
      NodeListener listener,
      RandomGenerator random) {
    this.index = index;
    this.config = config;
    this.timing = timing;
    this.threads = threads;
    this.listener = listener;
    this.random = random;
    this.control = new NodeControl(index, this::config, timing, threads, progress, this::changed);
  }

  public int index() {
    return index;
  }

  public NodeConfig config() {
    return config;
  }

  /** Starts supervising (once). */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    base = NodeState.STARTING;
    Thread t = threads.newThread(this::run);
    t.setName("tor-node-" + index);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** Stops tor (SIGTERM, then SIGKILL after the grace period) and waits for the supervisor. */
  public void stop() {
    stopping = true;
    signal();
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(timing.stopGrace().toMillis() + 10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Sends {@code SIGNAL NEWNYM} ({@link NodeControl#rotate}). The node shows {@code rotating} until
   * tor's {@code 650 SIGNAL NEWNYM} event; a rate-limit notice shows the rotation as {@code
   * deferred}, not done.
   *
   * @return false when the node has no control connection (not started or restarting)
   */
  public boolean rotate() {
    return control.rotate();
  }

  /**
   * Pins the node to the exit relay {@code fingerprint} until the next rotation ({@link
   * NodeControl#pin}). True when it is pinned to that exit now.
   */
  public boolean pin(String fingerprint) {
    return control.pin(fingerprint);
  }

  /** The exit fingerprint the node is pinned to, or null. */
  public String pinned() {
    return control.pinned();
  }

  /**
   * Gives the running node other exit countries without a restart ({@code SETCONF}, then a rotation
   * so its next streams take an exit there); a node that is not running takes them at its next
   * start. Returns whether the running tor took them.
   */
  public boolean changeCountries(List<String> countries) {
    config = config.withCountries(countries);
    return control.applyCountries(countries);
  }

  /**
   * The circuit id the node's last stream succeeded on since its last rotation, or null (for exit
   * look-ups: {@link ExitTracker#current(TorControlConnection, String)}).
   */
  public String usedCircuit() {
    return progress.usedCircuit();
  }

  /** The command connection while the node runs, else null (for exit look-ups). */
  public TorControlConnection control() {
    return control.control();
  }

  public NodeStatus status() {
    NodeState s = base;
    if (progress.rotating() && (s == NodeState.READY || s == NodeState.BOOTSTRAPPING)) {
      s = NodeState.ROTATING;
    }
    return new NodeStatus(
        index,
        s,
        pid,
        socksPort,
        controlPort,
        progress.percent(),
        restarts,
        progress.rotation(),
        progress.lastRotationAt(),
        progress.newnyms(),
        lastBackoff,
        error,
        control.pinned());
  }

  private void run() {
    int crashes = 0;
    try {
      while (!stopping) {
        String reason = runOnce();
        if (reason == null || stopping) {
          break;
        }
        if (base == NodeState.FAILED) {
          return;
        }
        crashes =
            upSince > 0 && System.nanoTime() - upSince > timing.stableAfter().toNanos()
                ? 1
                : crashes + 1;
        error = reason;
        if (crashes > timing.maxConsecutiveCrashes()) {
          fail("gave up after " + (crashes - 1) + " crashes in a row; last: " + reason);
          return;
        }
        listener.down(index, reason);
        lastBackoff = timing.backoffMillis(crashes, random.nextDouble());
        LOG.log(
            Level.WARNING,
            "SLUICE1001W: tor node {0} is down ({1}); restarting in {2} ms",
            index,
            reason,
            lastBackoff);
        listener.restarting(index, lastBackoff);
        base = NodeState.STARTING;
        changed();
        long until = System.nanoTime() + lastBackoff * 1_000_000L;
        while (!stopping && System.nanoTime() < until) {
          await(Math.max(1, (until - System.nanoTime()) / 1_000_000L));
        }
        if (!stopping) {
          restarts++;
          wasDown = true;
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "SLUICE1002E: tor node {0} supervisor failed", index, e);
      fail("supervisor failed: " + e);
      return;
    }
    base = NodeState.STOPPED;
    pid = null;
    socksPort = null;
    controlPort = null;
    progress.ended();
    changed();
  }

  private volatile long upSince;
  private volatile boolean wasDown;

  /**
   * One life of the tor process. Returns null when it ended because Sluice stopped it, else why it
   * ended (the node is restarted unless it is {@code failed}).
   */
  private String runOnce() {
    base = NodeState.STARTING;
    progress.reset();
    control.forgetPin();
    upSince = 0;
    changed();
    TorProcess proc;
    try {
      proc = TorProcess.launch(config, timing.startLimit());
    } catch (TorProcess.LaunchFailure e) {
      fail(e.getMessage());
      return "config";
    }
    pid = proc.pid();
    changed();
    try {
      InetSocketAddress addr = proc.controlAddress(timing.startLimit());
      if (addr == null) {
        return proc.alive()
            ? "no control port after " + timing.startLimit().toSeconds() + " s"
            : "tor exited with " + proc.exitStatus() + " before its control port was up";
      }
      controlPort = addr.getPort();
      Path cookie = config.dataDirectory().resolve(Torrc.COOKIE_FILE);
      int p = control.connect(addr, cookie, this::onEvent, this::signal);
      progress.started(p);
      base = progress.percent() >= 100 ? NodeState.READY : NodeState.BOOTSTRAPPING;
      control.publish();
      upSince = System.nanoTime();
      if (wasDown) {
        wasDown = false;
        LOG.log(Level.INFO, "SLUICE1003I: tor node {0} is back (pid {1})", index, pid);
        listener.recovered(index);
      }
      changed();
      return monitor(proc);
    } catch (IOException e) {
      return "control port: " + e.getMessage();
    } finally {
      control.unpublish();
      progress.ended();
      control.close();
      proc.stop(timing.stopGrace());
      pid = null;
      socksPort = null;
      controlPort = null;
    }
  }

  private String monitor(TorProcess proc) {
    long started = System.nanoTime();
    while (!stopping) {
      if (!proc.alive()) {
        return "tor exited with " + proc.exitStatus();
      }
      if (!control.connected()) {
        // a killed tor closes its sockets first: give its exit a moment to be seen
        return proc.exitedWithin(1000)
            ? "tor exited with " + proc.exitStatus()
            : "control connection lost";
      }
      long now = System.nanoTime();
      if (base == NodeState.BOOTSTRAPPING && now - started > timing.bootstrapLimit().toNanos()) {
        return "bootstrap stuck at "
            + progress.percent()
            + " % for "
            + timing.bootstrapLimit().toSeconds()
            + " s";
      }
      if (base == NodeState.READY && progress.livenessDownLongerThan(timing.livenessLimit())) {
        return "network liveness down for " + timing.livenessLimit().toSeconds() + " s";
      }
      if (socksPort == null) {
        try {
          socksPort = control.socksPort();
          if (socksPort != null) {
            changed();
          }
        } catch (IOException e) {
          return "control port: " + e.getMessage();
        }
      }
      await(500);
    }
    return null;
  }

  private void onEvent(ControlReply e) {
    NodeProgress.Outcome o = progress.apply(e.message());
    switch (o.kind()) {
      case PROGRESS -> {
        if (progress.percent() >= 100 && base == NodeState.BOOTSTRAPPING) {
          base = NodeState.READY;
          LOG.log(Level.INFO, "SLUICE1004I: tor node {0} bootstrapped", index);
        }
        changed();
      }
      case NEWNYM_DONE -> {
        listener.newnymDone(index);
        changed();
      }
      case NEWNYM_DEFERRED -> {
        listener.newnymDeferred(index, o.delaySeconds());
        changed();
      }
      case NONE -> {}
    }
  }

  private void fail(String reason) {
    error = reason;
    base = NodeState.FAILED;
    progress.ended();
    LOG.log(Level.ERROR, "SLUICE1005E: tor node {0} failed: {1}", index, reason);
    listener.failed(index, reason);
    changed();
  }

  private void changed() {
    listener.changed(status());
  }

  private void signal() {
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void await(long millis) {
    lock.lock();
    try {
      if (!stopping) {
        wake.await(millis, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    } finally {
      lock.unlock();
    }
  }
}
