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
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks every enabled exit each {@code sluice.exits.check-interval-seconds} (default 300). A lease
 * row in the database lets exactly one node of a cluster run a round; the others skip it. Start and
 * stop over the API act on this node's schedule.
 */
@ApplicationScoped
public class ExitMonitor {

  private static final Logger LOG = System.getLogger(ExitMonitor.class.getName());
  private final String nodeId = UUID.randomUUID().toString();

  @Inject ExitHealthService health;
  @Inject ExitHealthStore store;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "sluice.exits.check-interval-seconds", defaultValue = "300")
  int intervalSeconds;

  @Inject
  @ConfigProperty(name = "sluice.exits.monitor-enabled", defaultValue = "true")
  boolean enabledAtStart;

  private ScheduledFuture<?> task;
  private volatile Instant lastRun;

  void onStart(@Observes SluiceStarted started) {
    if (enabledAtStart) {
      start();
    }
  }

  public synchronized void start() {
    if (task == null || task.isDone()) {
      int every = Math.max(10, intervalSeconds);
      task = scheduler.scheduleWithFixedDelay(this::round, every, every, TimeUnit.SECONDS);
    }
  }

  @PreDestroy
  public synchronized void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
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

  private void round() {
    try {
      if (!store.lease(nodeId, Instant.now().plusSeconds(Math.max(30, intervalSeconds - 5)))) {
        return; // another node runs this round
      }
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
