package io.sluice.alerts.app;

import io.sluice.alerts.domain.Alert;
import io.sluice.alerts.domain.AlertSignal;
import io.sluice.alerts.domain.AlertTx;
import io.sluice.alerts.domain.CertificateSource;
import io.sluice.alerts.domain.RuleSettings;
import io.sluice.alerts.domain.Rules;
import io.sluice.cluster.app.ClusterLeases;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The periodic part of alerting, every {@code sluice.alerts.evaluate-seconds} (default 30) on the
 * default managed scheduled executor, like the exit monitor. On every node: the database probe
 * ({@link DatabaseWatch}) and brute-force sources gone quiet. On the node holding the {@code
 * alerts} cluster lease ({@link ClusterLeases}): pending alerts whose {@code for} passed fire and
 * repeats fall due, the pool rules, exit IP changes, the HTTPS certificate, event alerts whose hold
 * passed resolve, and old history is purged.
 */
@ApplicationScoped
public class AlertEvaluator {

  private static final Logger LOG = System.getLogger(AlertEvaluator.class.getName());

  /** Rules raised by single events: they resolve when no new event came for the hold time. */
  static final List<String> EVENT_RULES =
      List.of(Rules.EXIT_IP_CHANGED, Rules.TOKEN_REUSE, Rules.TOR_COUNTRY_EXHAUSTED);

  static final String LEASE = "alerts";

  @Inject AlertTx tx;
  @Inject AlertService alerts;
  @Inject AlertSettings settings;
  @Inject PoolHealth pools;
  @Inject CertificateSource certificates;
  @Inject DatabaseWatch database;
  @Inject ClusterLeases leases;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "sluice.alerts.evaluate-seconds", defaultValue = "30")
  int intervalSeconds;

  @Inject
  @ConfigProperty(name = "sluice.alerts.event-hold-minutes", defaultValue = "15")
  long eventHoldMinutes;

  @Inject
  @ConfigProperty(name = "sluice.alerts.history-days", defaultValue = "30")
  int historyDays;

  private ScheduledFuture<?> task;
  private Instant lastPurge = Instant.EPOCH;

  void onStart(@Observes SluiceStarted started) {
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
    Instant now = Instant.now();
    if (!database.check(now)) {
      return; // nothing else can be recorded while the database is away
    }
    try {
      alerts.quietSources(now);
      if (!leases.tryHold(LEASE, Duration.ofSeconds(Math.max(30, 3L * intervalSeconds)))) {
        return; // another node evaluates
      }
      tx.inTransaction(s -> alerts.book().tick(s, now));
      evaluateExits(now);
      evaluateCertificates(now);
      holdEvents(now);
      if (lastPurge.isBefore(now.minus(Duration.ofHours(1)))) {
        lastPurge = now;
        int n = tx.inTransaction(s -> s.purge(now.minus(Duration.ofDays(historyDays))));
        if (n > 0) {
          LOG.log(Level.INFO, "SLUICE0802I: purged {0} old alerts and deliveries", n);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "SLUICE0803W: alert evaluation failed: " + e.getMessage(), e);
    }
  }

  private void evaluateExits(Instant now) {
    List<PoolHealth.ExitLook> exits = pools.exits();
    Map<String, List<AlertSignal>> raised =
        pools.poolSignals(exits, settings.of(Rules.POOL_FAILING).threshold());
    raised.forEach(
        (rule, signals) -> tx.inTransaction(s -> alerts.book().reconcile(s, rule, signals, now)));
    tx.inTransaction(s -> {
      for (PoolHealth.ExitLook e : exits) {
        if (e.actualIp() == null) {
          continue;
        }
        String key = Long.toString(e.id());
        String before = s.memo(Rules.EXIT_IP_CHANGED, key).orElse(null);
        if (!e.actualIp().equals(before)) {
          s.memo(Rules.EXIT_IP_CHANGED, key, e.actualIp(), now);
          if (before != null) {
            alerts
                .book()
                .apply(
                    s,
                    new AlertSignal(
                        Rules.EXIT_IP_CHANGED,
                        "exit " + e.name(),
                        true,
                        "exit "
                            + e.name()
                            + " now leaves from "
                            + e.actualIp()
                            + " (was "
                            + before
                            + ")",
                        Map.of("exit", e.name(), "from", before, "to", e.actualIp())),
                    now);
          }
        }
      }
      return null;
    });
  }

  private void evaluateCertificates(Instant now) {
    RuleSettings rs = settings.of(Rules.CERTIFICATE_EXPIRING);
    List<AlertSignal> raised = new ArrayList<>();
    try {
      for (CertificateSource.Served c : certificates.served()) {
        Duration left = Duration.between(now, c.notAfter());
        if (left.toDays() < rs.threshold()) {
          raised.add(
              new AlertSignal(
                  Rules.CERTIFICATE_EXPIRING,
                  c.alias(),
                  true,
                  "HTTPS certificate "
                      + c.subject()
                      + (left.isNegative() ? " expired on " : " expires on ")
                      + c.notAfter()
                      + " ("
                      + left.toDays()
                      + " days)",
                  Map.of("subject", c.subject(), "notAfter", c.notAfter().toString())));
        }
      }
    } catch (Exception e) {
      LOG.log(Level.WARNING, "SLUICE0804W: cannot read the HTTPS keystore: {0}", e.toString());
      return;
    }
    tx.inTransaction(s -> alerts.book().reconcile(s, Rules.CERTIFICATE_EXPIRING, raised, now));
  }

  private void holdEvents(Instant now) {
    Instant before = now.minus(Duration.ofMinutes(Math.max(1, eventHoldMinutes)));
    tx.inTransaction(s -> {
      for (Alert a : s.live()) {
        if (EVENT_RULES.contains(a.rule) && a.lastSeenAt.isBefore(before)) {
          alerts.book().apply(s, AlertSignal.clear(a.rule, a.key), now);
        }
      }
      return null;
    });
  }
}
