package io.sluice.tor.app;

import io.sluice.platform.db.SluiceStarted;
import io.sluice.platform.problem.ApiException;
import io.sluice.tor.domain.ExitInfo;
import io.sluice.tor.domain.LiveSessions;
import io.sluice.tor.domain.NodeState;
import io.sluice.tor.domain.NodeStatus;
import io.sluice.tor.domain.TorCountryExhausted;
import io.sluice.tor.domain.TorNodeSignal;
import io.sluice.tor.domain.TorRunner;
import io.sluice.tor.domain.TorrcLines;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs this server's part of the Tor fleet: every tick (2 s) it starts nodes up to the settings'
 * size, drains and stops the ones above it (their exits are disabled first, then each stops as soon
 * as no live session uses it, at most {@code sluice.tor.drain-seconds} later), gives running nodes
 * changed countries over their control port and restarts them for changed extra lines, pins each
 * node to the exit it kept until its next rotation, writes the nodes' statuses and exits to the
 * database, rotates nodes whose last rotation is older than the interval, and looks up each node's
 * exit after a rotation: an exit IP held by another node or seen among the newest rotations
 * fleet-wide is rotated away again, up to {@link #MAX_TRIES} times, after which {@link
 * TorCountryExhausted} is fired.
 */
@ApplicationScoped
public class TorFleetService {

  private static final System.Logger LOG = System.getLogger(TorFleetService.class.getName());

  /** Rotations in a row to find an exit that is not a repeat. */
  public static final int MAX_TRIES = 5;

  @Inject TorRunner runner;
  @Inject TorFleetStore store;
  @Inject TorMetrics metrics;
  @Inject LiveSessions sessions;
  @Inject Event<TorCountryExhausted> exhausted;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "sluice.tor.drain-seconds", defaultValue = "30")
  int drainSeconds;

  @Inject
  @ConfigProperty(name = "sluice.tor.stale-seconds", defaultValue = "60")
  int staleSeconds;

  @Inject
  @ConfigProperty(name = "sluice.tor.stagger-millis", defaultValue = "500")
  int staggerMillis;

  @Inject
  @ConfigProperty(name = "sluice.tor.pin-exits", defaultValue = "true")
  boolean pinExits;

  /** Nodes being drained: index to the latest time they stop. */
  private final Map<Integer, Instant> draining = new ConcurrentHashMap<>();

  private final Map<Integer, Integer> tries = new ConcurrentHashMap<>();
  private final Map<Integer, Long> judgedNewnyms = new ConcurrentHashMap<>();
  private volatile String applied;
  private volatile String lastError;
  private ScheduledFuture<?> task;

  void onStart(@Observes SluiceStarted started) {
    synchronized (this) {
      task = scheduler.scheduleWithFixedDelay(this::tickQuietly, 1, 2, TimeUnit.SECONDS);
    }
  }

  @PreDestroy
  synchronized void shutdown() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  void onSignal(@Observes TorNodeSignal s) {
    switch (s.kind()) {
      case "newnym" -> metrics.newnym();
      case "restarting" -> metrics.restart();
      default -> {}
    }
  }

  public TorSettings settings() {
    return store.settings();
  }

  /** Validates and stores new settings; this server applies them at once, others on their tick. */
  public TorSettings update(TorSettings s) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    if (s.size() < 0 || s.size() > 1000) {
      errors.add(new ApiException.FieldError("size", "must be between 0 and 1000"));
    }
    if (s.rotationIntervalSeconds() != 0 && s.rotationIntervalSeconds() < 10) {
      errors.add(
          new ApiException.FieldError("rotationIntervalSeconds", "must be 0 (off) or at least 10"));
    }
    if (s.noRepeatWindow() < 0 || s.noRepeatWindow() > 10_000) {
      errors.add(new ApiException.FieldError("noRepeatWindow", "must be between 0 and 10000"));
    }
    checkCountries("countries", s.countries(), errors);
    s.nodeCountries().forEach((i, cc) -> checkCountries("nodeCountries." + i, cc, errors));
    List<String> lines = List.of();
    try {
      lines = TorrcLines.check(s.extraLines(), false);
    } catch (IllegalArgumentException e) {
      errors.add(new ApiException.FieldError("extraLines", e.getMessage()));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    TorSettings saved =
        store.save(
            new TorSettings(
                s.size(),
                s.rotationIntervalSeconds(),
                s.countries(),
                s.nodeCountries(),
                lines,
                s.noRepeatWindow()));
    LOG.log(
        Level.INFO,
        "SLUICE1020I: tor fleet settings changed: size {0}, rotation every {1} s",
        saved.size(),
        saved.rotationIntervalSeconds());
    tickQuietly();
    return saved;
  }

  private static void checkCountries(
      String field, List<String> cc, List<ApiException.FieldError> errors) {
    for (String c : cc) {
      if (c == null || !c.matches("[a-z]{2}")) {
        errors.add(
            new ApiException.FieldError(field, "must be ISO 3166 alpha-2 codes in lower case"));
        return;
      }
    }
  }

  /** Sets the size (scaling down drains the extra nodes first). */
  public TorSettings scale(int size) {
    TorSettings s = store.settings();
    return update(
        new TorSettings(
            size,
            s.rotationIntervalSeconds(),
            s.countries(),
            s.nodeCountries(),
            s.extraLines(),
            s.noRepeatWindow()));
  }

  public List<TorNodeView> nodes() {
    return store.nodes();
  }

  /** Rotates node {@code id}; it must run on this server. */
  public TorNodeView rotate(long id) {
    TorNodeView n = store.node(id);
    if (!n.server().equals(runner.server())) {
      throw ApiException.conflict(
          "tor node " + id + " runs on server " + n.server() + "; ask that server to rotate it");
    }
    tries.remove(n.index());
    if (!runner.rotate(n.index())) {
      throw ApiException.conflict(
          "tor node " + id + " has no control connection now (" + n.state() + ")");
    }
    return n;
  }

  /**
   * Rotates every node of this server, {@code sluice.tor.stagger-millis} apart; returns how many.
   */
  public int rotateAll() {
    List<Integer> indexes = List.copyOf(runner.statuses().keySet());
    for (int k = 0; k < indexes.size(); k++) {
      int i = indexes.get(k);
      tries.remove(i);
      scheduler.schedule(() -> runner.rotate(i), (long) k * staggerMillis, TimeUnit.MILLISECONDS);
    }
    return indexes.size();
  }

  private void tickQuietly() {
    try {
      tick();
      lastError = null;
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String msg = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
      if (!msg.equals(lastError)) {
        LOG.log(
            Level.WARNING,
            "SLUICE1021W: tor fleet tick failed (logged once until it changes): " + msg,
            e);
      }
      lastError = msg;
    }
  }

  synchronized void tick() {
    TorSettings s = store.settings();
    String config = String.valueOf(s.extraLines());
    Map<Integer, NodeStatus> live = runner.statuses();
    if (applied != null && !applied.equals(config) && !live.isEmpty()) {
      LOG.log(Level.INFO, "SLUICE1022I: tor fleet restarts its nodes for new extra torrc lines");
      runner.reconfigure(s::countriesOf, s.extraLines());
    } else {
      // new exit countries reach running nodes over their control port: no restart
      for (int i : runner.changeCountries(s::countriesOf)) {
        tries.remove(i);
      }
    }
    applied = config;
    int running = (int) live.keySet().stream().filter(i -> !draining.containsKey(i)).count();
    if (s.size() > running || (s.size() > 0 && live.isEmpty())) {
      draining.keySet().removeIf(i -> i < s.size());
      runner.scale(Math.max(s.size(), live.size()), s::countriesOf, s.extraLines());
    } else if (s.size() < running) {
      List<Integer> extra =
          live.keySet().stream().filter(i -> i >= s.size() && !draining.containsKey(i)).toList();
      Instant deadline = Instant.now().plusSeconds(Math.max(0, drainSeconds));
      extra.forEach(i -> draining.put(i, deadline));
      store.drain(runner.server(), extra);
      LOG.log(
          Level.INFO,
          "SLUICE1023I: tor fleet drains node(s) {0}: each stops when no session uses it, at"
              + " most {1} s from now",
          extra,
          drainSeconds);
      scheduler.schedule(this::drainStep, 1, TimeUnit.SECONDS);
    }
    live = runner.statuses();
    List<String> reaped =
        store.sync(runner.server(), live, Set.copyOf(draining.keySet()), s, staleSeconds);
    if (!reaped.isEmpty()) {
      LOG.log(
          Level.INFO,
          "SLUICE1026I: tor node(s) {0} of other servers were not updated for {1} s: removed"
              + " with their exits (the server is gone; it adds them again when it comes back)",
          reaped,
          staleSeconds);
    }
    metrics.update(live);
    Instant now = Instant.now();
    for (NodeStatus st : live.values()) {
      if (st.state() != NodeState.READY || draining.containsKey(st.index())) {
        continue;
      }
      trackExit(st, s);
      if (s.rotationIntervalSeconds() > 0
          && st.lastRotationAt() != null
          && st.lastRotationAt().plusSeconds(s.rotationIntervalSeconds()).isBefore(now)) {
        tries.remove(st.index());
        runner.rotate(st.index());
      }
    }
  }

  /**
   * Stops the draining nodes that no live session uses any more, and those past their deadline
   * (cutting their sessions); checks again every second while any drain.
   */
  private void drainStep() {
    try {
      String server = runner.server();
      for (int i :
          Drains.finished(
              Map.copyOf(draining),
              Instant.now(),
              i -> sessions.onExit(TorFleetStore.exitName(server, i)))) {
        if (draining.remove(i) != null) {
          int left = sessions.onExit(TorFleetStore.exitName(server, i));
          runner.stop(i);
          LOG.log(
              Level.INFO,
              "SLUICE1024I: tor node {0} drained and stopped ({1} session(s) still open were cut"
                  + " at the drain limit)",
              i,
              left);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "SLUICE1030W: tor fleet drain step failed: " + e.getMessage(), e);
    }
    if (draining.isEmpty()) {
      tickQuietly();
    } else {
      scheduler.schedule(this::drainStep, 1, TimeUnit.SECONDS);
    }
  }

  /**
   * The node's exit as tor reports it (known once a stream used it), recorded when it changed, and
   * the no-repeat rule: an exit another node holds is never kept; after a rotation (or for a node's
   * first exit) an exit among the newest {@code noRepeatWindow} seen fleet-wide is not kept either.
   * Either way the node is rotated again, up to {@link #MAX_TRIES} times, then {@link
   * TorCountryExhausted} is fired and the exit kept.
   */
  private void trackExit(NodeStatus st, TorSettings s) {
    ExitInfo exit = runner.currentExit(st.index()).orElse(null);
    if (exit == null) {
      return;
    }
    String server = runner.server();
    String recorded = store.recordedExit(server, st.index());
    Long judged = judgedNewnyms.get(st.index());
    boolean rotated = judged == null || judged != st.newnyms();
    boolean same = Objects.equals(recorded, exit.ip());
    if (same && !rotated) {
      pin(st, exit);
      return;
    }
    judgedNewnyms.put(st.index(), st.newnyms());
    boolean repeat =
        same
            // a rotation that gave the node its own last exit again
            ? judged != null && s.noRepeatWindow() > 0
            : !store.exitFree(server, st.index(), exit.ip(), rotated ? s.noRepeatWindow() : 0);
    if (repeat && retry(st, s)) {
      return;
    }
    tries.remove(st.index());
    if (!same) {
      store.recordExit(server, st.index(), exit);
      metrics.exitChanged();
    }
    pin(st, exit);
  }

  /** Pins the node to the exit it kept (unless {@code sluice.tor.pin-exits=false}). */
  private void pin(NodeStatus st, ExitInfo exit) {
    if (pinExits && !exit.fingerprint().equalsIgnoreCase(String.valueOf(st.pinnedExit()))) {
      runner.pin(st.index(), exit.fingerprint());
    }
  }

  /** Rotates the node again (true), or gives up after {@link #MAX_TRIES} and says so (false). */
  private boolean retry(NodeStatus st, TorSettings s) {
    int n = tries.merge(st.index(), 1, Integer::sum);
    if (n <= MAX_TRIES) {
      runner.rotate(st.index());
      return true;
    }
    List<String> cc = s.countriesOf(st.index());
    String country = cc.size() == 1 ? cc.get(0) : null;
    LOG.log(
        Level.WARNING,
        "SLUICE1025W: tor node {0} found no fresh exit in {1} rotations (country {2})",
        st.index(),
        MAX_TRIES,
        country == null ? "any" : country);
    exhausted.fire(new TorCountryExhausted(country, runner.server(), st.index(), MAX_TRIES));
    return false;
  }
}
