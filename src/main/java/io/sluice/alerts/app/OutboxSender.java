package io.sluice.alerts.app;

import io.sluice.alerts.domain.AlertTx;
import io.sluice.alerts.domain.Outbox;
import io.sluice.alerts.domain.Senders;
import io.sluice.platform.db.SluiceStarted;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends the outbox every {@code sluice.alerts.send-interval-seconds} (default 5) on the default
 * managed scheduled executor: {@link Outbox} with this node's random id, claims held for {@code
 * sluice.alerts.claim-seconds} (120), retries from {@code sluice.alerts.retry-base-seconds} (10)
 * doubling up to an hour, at most {@code sluice.alerts.max-attempts} (10).
 */
@ApplicationScoped
public class OutboxSender {

  private static final Logger LOG = System.getLogger(OutboxSender.class.getName());

  @Inject AlertTx tx;
  @Inject Senders senders;
  @Inject ChannelService channels;
  @Inject DeliveryMetrics metrics;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "sluice.alerts.send-interval-seconds", defaultValue = "5")
  int intervalSeconds;

  @Inject
  @ConfigProperty(name = "sluice.alerts.claim-seconds", defaultValue = "120")
  int claimSeconds;

  @Inject
  @ConfigProperty(name = "sluice.alerts.retry-base-seconds", defaultValue = "10")
  int retryBaseSeconds;

  @Inject
  @ConfigProperty(name = "sluice.alerts.max-attempts", defaultValue = "10")
  int maxAttempts;

  private Outbox outbox;
  private ScheduledFuture<?> task;
  private boolean failing;

  void onStart(@Observes SluiceStarted started) {
    outbox =
        new Outbox(
            tx,
            senders.all(),
            channels::open,
            metrics::outcome,
            "node-" + UUID.randomUUID(),
            new Outbox.Policy(
                Duration.ofSeconds(Math.max(30, claimSeconds)),
                Duration.ofSeconds(Math.max(1, retryBaseSeconds)),
                Math.max(1, maxAttempts),
                50));
    int every = Math.max(1, intervalSeconds);
    synchronized (this) {
      task = scheduler.scheduleWithFixedDelay(this::round, every, every, TimeUnit.SECONDS);
    }
  }

  @PreDestroy
  synchronized void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }

  void round() {
    try {
      int n;
      int rounds = 0;
      do {
        n = outbox.sendDue(Instant.now());
      } while (n > 0 && ++rounds < 10);
      if (failing) {
        failing = false;
        LOG.log(Level.INFO, "SLUICE0806I: alert outbox is being sent again");
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        LOG.log(Level.WARNING, "SLUICE0805W: alert outbox round failed: " + e.getMessage(), e);
      }
    }
  }
}
