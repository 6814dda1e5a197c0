package io.sluice.exits.app;

import io.sluice.platform.db.SluiceStarted;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks every enabled exit each {@code sluice.exits.check-interval-seconds} (default 300) on
 * exactly one node of a cluster. Every node with a running monitor tries every {@link #TICK} to
 * take or renew the {@code exit-monitor} lease (valid {@link #LEASE}); the holder runs a round when
 * the interval has passed since its last one, and at once when it has just taken the lease over
 * from a node that stopped renewing it (killed, stopped, cut off from the database), so the checks
 * move to another node within {@code LEASE + TICK} (25 s). Start and stop over the API act on this
 * node's schedule; a stopped monitor lets its lease lapse.
 *
 * <p>Tor exits are the exception: their SOCKS port is {@code 127.0.0.1} on the server that runs
 * their tor, so the lease holder leaves other servers' tor exits out of its rounds and every other
 * server with a running monitor checks its own tor exits on the same interval ("own rounds").
 */
@ApplicationScoped
public class ExitMonitor {

  private static final Logger LOG = System.getLogger(ExitMonitor.class.getName());
  static final java.time.Duration TICK = java.time.Duration.ofSeconds(5);
  static final java.time.Duration LEASE = java.time.Duration.ofSeconds(20);

  @Inject io.sluice.platform.node.NodeIdentity identity;
  @Inject io.sluice.cluster.app.ClusterLeases leases;

  @Inject ExitHealthService health;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "sluice.exits.check-interval-seconds", defaultValue = "300")
  int intervalSeconds;

  @Inject
  @ConfigProperty(name = "sluice.exits.monitor-enabled", defaultValue = "true")
  boolean enabledAtStart;

  private ScheduledFuture<?> task;
  private volatile Instant lastRun;
  private volatile boolean holder;
  private volatile Instant heldSince;
  private volatile boolean runAtOnce;
  private volatile Instant lastStart;
  private volatile Instant lastOwnRun;

  void onStart(@Observes SluiceStarted started) {
    if (enabledAtStart) {
      start();
    }
  }

  public synchronized void start() {
    if (task == null || task.isDone()) {
      task =
          scheduler.scheduleWithFixedDelay(
              this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @PreDestroy
  public synchronized void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
    if (holder) {
      leases.release("exit-monitor"); // another node takes the rounds over at its next tick
    }
    holder = false;
    heldSince = null;
  }

  public synchronized boolean running() {
    return task != null && !task.isDone();
  }

  public int intervalSeconds() {
    return intervalSeconds;
  }

  public Instant lastRun() {
    return lastRun;
  }

  /** Whether this node holds the cluster's exit-monitor lease (runs the rounds). */
  public boolean holdsLease() {
    return holder && running();
  }

  /** When this node last started a round (it may still be running). */
  public Instant lastStart() {
    return lastStart;
  }

  public Instant heldSince() {
    return heldSince;
  }

  void tick() {
    Instant now = Instant.now();
    boolean held;
    try {
      held = leases.tryHold("exit-monitor", LEASE);
    } catch (RuntimeException e) {
      held = false;
    }
    if (held != holder) {
      holder = held;
      heldSince = held ? now : null;
      // Taken over from another node (this one has been up longer than a lease): that node's
      // rounds stopped, so run one at once. At start-up the first round waits an interval.
      runAtOnce = held && now.isAfter(identity.startedAt().plus(LEASE).plus(TICK));
      LOG.log(
          Level.INFO,
          held
              ? "SLUICE0713I: this node runs the exit monitor of the cluster now"
              : "SLUICE0714I: this node no longer runs the exit monitor of the cluster");
    }
    if (!held) {
      // another node runs the rounds; this one checks only the tor exits it runs itself
      Instant lastOwn = lastOwnRun;
      if (lastOwn == null || !now.isBefore(lastOwn.plusSeconds(Math.max(10, intervalSeconds)))) {
        lastOwnRun = now;
        ownRound();
      }
      return;
    }
    Instant last = lastRun;
    Instant base = last != null && last.isAfter(heldSince) ? last : heldSince;
    if (runAtOnce || !now.isBefore(base.plusSeconds(Math.max(10, intervalSeconds)))) {
      runAtOnce = false;
      round();
    }
  }

  private void ownRound() {
    try {
      ExitHealthService.Summary s = health.checkOwnTorExits();
      if (s.total() > 0) {
        LOG.log(
            Level.INFO,
            "SLUICE0720I: checked this server''s {0} tor exits: {1} healthy, {2} failing",
            new Object[] {s.total(), s.healthy(), s.unhealthy()});
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "SLUICE0721W: checking this server's own tor exits failed: " + e.getMessage(),
          e);
    }
  }

  private void round() {
    lastStart = Instant.now();
    try {
      ExitHealthService.Summary s = health.checkAll(null, null, null);
      lastRun = Instant.now();
      LOG.log(
          Level.INFO,
          "SLUICE0322I: checked {0} exits: {1} healthy, {2} failing",
          new Object[] {s.total(), s.healthy(), s.unhealthy()});
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "SLUICE0323W: exit monitor round failed: " + e.getMessage(), e);
    }
  }
}
