package io.sluice.audit.app;

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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Deletes audit events older than {@code sluice.audit.retention-days} (default 365; 0 keeps
 * everything) once an hour, on one node of a cluster (the holder of the {@code audit-retention}
 * lease); every purge is itself an audit event.
 */
@ApplicationScoped
public class AuditRetention {

  private static final Logger LOG = System.getLogger(AuditRetention.class.getName());

  @Inject AuditService audit;
  @Inject io.sluice.cluster.app.ClusterLeases leases;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "sluice.audit.retention-days", defaultValue = "365")
  int retentionDays;

  private ScheduledFuture<?> task;
  private volatile boolean postgres;

  void onStart(@Observes SluiceStarted started) {
    postgres = !started.embeddedDatabase();
    if (retentionDays > 0) {
      task = scheduler.scheduleWithFixedDelay(this::purge, 1, 60, TimeUnit.MINUTES);
    }
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }

  void purge() {
    // Once per cluster: the node holding the lease purges; it lasts until just before the next run.
    if (!leases.tryHold("audit-retention", Duration.ofMinutes(55))) {
      return;
    }
    try {
      int n = audit.purgeOlderThan(Instant.now().minus(Duration.ofDays(retentionDays)), postgres);
      if (n > 0) {
        audit.recordQuietly(
            "system",
            "audit.retention",
            "audit_event",
            "success",
            "deleted " + n + " events older than " + retentionDays + " days");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "SLUICE0041W: audit retention failed: " + e.getMessage(), e);
    }
  }
}
