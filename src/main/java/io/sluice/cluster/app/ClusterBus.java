package io.sluice.cluster.app;

import io.sluice.cluster.domain.ClusterEvent;
import io.sluice.cluster.domain.ClusterEventStore;
import io.sluice.platform.db.SluiceStarted;
import io.sluice.users.domain.ProxyUserChanged;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The cluster event bus. Admin changes this node commits are appended to the {@code cluster_event}
 * log; every node polls the log (every {@code sluice.cluster.poll-ms}, default 250) and fires the
 * other nodes' changes as {@link RemoteChange} CDI events, which the gateway applies like its own
 * (drop the cached account, cut the user's live sessions). The reader keeps a watermark a few
 * seconds behind the newest id plus the ids it applied, so an id committed out of order is not
 * skipped. On H2 (one node) the same path runs; it simply never sees another origin.
 */
@ApplicationScoped
public class ClusterBus {

  private static final Logger LOG = System.getLogger(ClusterBus.class.getName());
  private static final Duration SETTLE = Duration.ofSeconds(5);
  private static final Duration KEEP = Duration.ofHours(1);

  /**
   * A change made by another node, to be applied here: {@code kind} is one of {@link
   * ClusterEvent}'s kinds; {@code proxyUser} is set for {@code proxy-user}.
   */
  public record RemoteChange(
      String kind,
      Long subjectId,
      String subject,
      ProxyUserChanged proxyUser,
      String origin,
      Instant at) {

    public RemoteChange(
        String kind, Long subjectId, String subject, ProxyUserChanged proxyUser, String origin) {
      this(kind, subjectId, subject, proxyUser, origin, Instant.now());
    }

    public boolean is(String k) {
      return k.equals(kind);
    }
  }

  @Inject ClusterEventStore store;
  @Inject Event<RemoteChange> remote;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "sluice.cluster.poll-ms", defaultValue = "250")
  long pollMs;

  @Inject io.sluice.platform.node.NodeIdentity identity;
  private String nodeId;
  private final Set<Long> applied = new HashSet<>();
  private final ArrayDeque<Long> appliedOrder = new ArrayDeque<>();
  private volatile long watermark = -1;
  private volatile Instant lastPurge = Instant.EPOCH;
  private volatile boolean failing;
  private ScheduledFuture<?> poller;

  void start(@Observes SluiceStarted started) {
    nodeId = identity.id();
    try {
      watermark = store.latestId();
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "SLUICE0706W: cluster events: cannot read the log yet: {0}",
          e.getMessage());
    }
    poller =
        scheduler.scheduleWithFixedDelay(this::pollQuietly, pollMs, pollMs, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    if (poller != null) {
      poller.cancel(false);
    }
  }

  /** Publishes a committed proxy-user change to the other nodes. */
  void proxyUserChanged(
      @Observes(during = TransactionPhase.AFTER_SUCCESS) ProxyUserChanged change) {
    try {
      store.append(
          identity.id(),
          ClusterEvent.PROXY_USER,
          change.userId(),
          change.username(),
          change.kind().name() + (change.credentialsOrAccessChanged() ? ",cut" : ""));
    } catch (RuntimeException e) {
      // The change itself is committed; other nodes still see it at their cache TTL.
      LOG.log(
          Level.WARNING,
          "SLUICE0707W: cluster events: cannot publish the change of proxy user {0}: {1}",
          new Object[] {change.username(), e.getMessage()});
    }
  }

  void exitsChanged(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          io.sluice.exits.domain.ExitsChanged change) {
    publish(ClusterEvent.EXITS, null, change.what(), null);
  }

  void dedicatedChanged(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          io.sluice.exits.domain.DedicatedChanged change) {
    publish(ClusterEvent.EXITS, change.userId(), "dedicated", null);
  }

  void tunnelsChanged(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          io.sluice.tunnels.domain.TunnelMappingsChanged change) {
    publish(ClusterEvent.TUNNELS, change.mappingId(), null, null);
  }

  void agentRevoked(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          io.sluice.tunnels.domain.AgentRevoked change) {
    publish(ClusterEvent.AGENT, change.agentId(), change.reason(), null);
  }

  /** An agent's WebSocket now held by (or no longer held by) this node. */
  void agentPlacementChanged(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          io.sluice.tunnels.domain.AgentPlacementChanged change) {
    publish(
        ClusterEvent.AGENT_PLACEMENT,
        change.agentId(),
        change.connected() ? "connected" : "disconnected",
        null);
  }

  void settingChanged(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          io.sluice.settings.domain.SettingChanged change) {
    publish(ClusterEvent.SETTING, null, change.name(), null);
  }

  private void publish(String kind, Long subjectId, String subject, String detail) {
    try {
      store.append(identity.id(), kind, subjectId, subject, detail);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "SLUICE0716W: cluster events: cannot publish a {0} change: {1}",
          new Object[] {kind, e.getMessage()});
    }
  }

  synchronized void pollQuietly() {
    try {
      poll();
      if (failing) {
        failing = false;
        LOG.log(Level.INFO, "SLUICE0708I: cluster events: reading the log again");
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        LOG.log(
            Level.WARNING,
            "SLUICE0709W: cluster events: cannot read the log (changes made on other nodes reach"
                + " this one at its cache TTL until it can): {0}",
            e.getMessage());
      }
    }
  }

  private void poll() {
    if (watermark < 0) {
      watermark = store.latestId();
    }
    Instant now = Instant.now();
    List<ClusterEvent> events = store.after(watermark, 500);
    long settled = watermark;
    for (ClusterEvent e : events) {
      if (e.createdAt().isBefore(now.minus(SETTLE))) {
        settled = Math.max(settled, e.id());
      }
      if (!applied.add(e.id())) {
        continue;
      }
      appliedOrder.add(e.id());
      if (!nodeId.equals(e.origin())) {
        apply(e);
      }
    }
    watermark = settled;
    while (appliedOrder.size() > 10_000) {
      applied.remove(appliedOrder.poll());
    }
    if (now.isAfter(lastPurge.plus(Duration.ofMinutes(10)))) {
      lastPurge = now;
      store.purgeBefore(now.minus(KEEP));
    }
  }

  private void apply(ClusterEvent e) {
    ProxyUserChanged change = null;
    if (ClusterEvent.PROXY_USER.equals(e.kind())) {
      if (e.subjectId() == null) {
        return;
      }
      String detail = e.detail() == null ? "" : e.detail();
      String kind = detail.contains(",") ? detail.substring(0, detail.indexOf(',')) : detail;
      ProxyUserChanged.Kind k;
      try {
        k = ProxyUserChanged.Kind.valueOf(kind);
      } catch (IllegalArgumentException unknown) {
        k = ProxyUserChanged.Kind.UPDATED;
      }
      change = new ProxyUserChanged(e.subjectId(), e.subject(), k, detail.endsWith(",cut"));
    }
    try {
      remote.fire(
          new RemoteChange(
              e.kind(), e.subjectId(), e.subject(), change, e.origin(), e.createdAt()));
    } catch (RuntimeException ex) {
      LOG.log(
          Level.WARNING,
          "SLUICE0710W: cluster events: applying event {0} failed: {1}",
          new Object[] {e.id(), ex.getMessage()});
    }
  }
}
