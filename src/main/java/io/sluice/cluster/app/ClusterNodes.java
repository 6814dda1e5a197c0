package io.sluice.cluster.app;

import io.sluice.cluster.domain.ClusterNode;
import io.sluice.cluster.domain.ClusterNodeStore;
import io.sluice.platform.db.SluiceStarted;
import io.sluice.platform.node.NodeIdentity;
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
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The node registry: this node renews its row every {@link #HEARTBEAT} (name, version, admin URL,
 * listeners); a node whose heartbeat is older than {@link #ALIVE} is shown as not alive, and rows
 * silent for a day are deleted. A clean stop removes the row.
 */
@ApplicationScoped
public class ClusterNodes {

  private static final Logger LOG = System.getLogger(ClusterNodes.class.getName());
  public static final Duration HEARTBEAT = Duration.ofSeconds(5);
  public static final Duration ALIVE = Duration.ofSeconds(15);

  /** A registered node as the API shows it. */
  public record NodeView(
      String id,
      String name,
      String version,
      String advertiseUrl,
      String listeners,
      Instant startedAt,
      Instant heartbeatAt,
      boolean alive,
      boolean self,
      List<String> leases) {}

  @Inject ClusterNodeStore store;
  @Inject NodeIdentity identity;
  @Resource ManagedScheduledExecutorService scheduler;

  private volatile String listeners = "";
  private volatile boolean failing;
  private ScheduledFuture<?> task;

  void start(@Observes SluiceStarted started) {
    beat();
    task =
        scheduler.scheduleWithFixedDelay(
            this::beat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
      try {
        store.remove(identity.id());
      } catch (RuntimeException e) {
        // the row ages out: shown as not alive after ALIVE, deleted after a day
      }
    }
  }

  /** What this node listens on (set by the proxy host), shown in the registry. */
  public void listeners(String description) {
    this.listeners = description == null ? "" : description;
    beat(); // shown at once, not only at the next heartbeat
  }

  public List<NodeView> nodes() {
    Instant now = Instant.now();
    return store.nodes(now).stream()
        .map(n ->
            new NodeView(
                n.id(),
                n.name(),
                n.version(),
                n.advertiseUrl(),
                n.listeners(),
                n.startedAt(),
                n.heartbeatAt(),
                n.heartbeatAt().isAfter(now.minus(ALIVE)),
                n.id().equals(identity.id()),
                n.leases()))
        .toList();
  }

  private void beat() {
    Instant now = Instant.now();
    try {
      String l = listeners;
      store.heartbeat(
          new ClusterNode(
              identity.id(),
              identity.name(),
              identity.version(),
              identity.advertiseUrl(),
              l.length() > 2000 ? l.substring(0, 2000) : l,
              identity.startedAt(),
              now,
              List.of()),
          now);
      if (now.getEpochSecond() % 3600 < HEARTBEAT.toSeconds()) {
        store.purgeBefore(now.minus(Duration.ofDays(1)));
      }
      if (failing) {
        failing = false;
        LOG.log(Level.INFO, "SLUICE0711I: node registry: heartbeat renewed again");
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        LOG.log(
            Level.WARNING,
            "SLUICE0712W: node registry: cannot renew this node''s heartbeat: {0}",
            e.getMessage());
      }
    }
  }
}
