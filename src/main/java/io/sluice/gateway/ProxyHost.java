package io.sluice.gateway;

import io.sluice.engine.ListenerState;
import io.sluice.engine.ProxyEngine;
import io.sluice.engine.net.PipeLimit;
import io.sluice.engine.policy.DefaultDestinationPolicy;
import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.engine.spi.ListenerTag;
import io.sluice.engine.spi.SessionView;
import io.sluice.exits.app.ExitActivity;
import io.sluice.exits.app.ExitSnapshot;
import io.sluice.exits.app.ExitSnapshotLoader;
import io.sluice.exits.app.PoolChoosers;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.platform.db.SluiceStarted;
import io.sluice.users.app.DbAccountSource;
import io.sluice.users.app.UsageService;
import io.sluice.users.domain.ProxyUserChanged;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The connector-style host of the proxy engine: after start-up it builds the engine from
 * configuration, runs Netty's event loops on threads of a Jakarta Concurrency ManagedThreadFactory,
 * and binds the listeners; admin changes to a proxy user drop the cached account and cut the user's
 * live sessions; on application stop it refuses new connections, drains live ones within {@code
 * sluice.proxy.drain-seconds} and releases the ports, so a redeploy binds again.
 */
@ApplicationScoped
public class ProxyHost {

  private static final Logger LOG = System.getLogger(ProxyHost.class.getName());

  @Resource(lookup = "concurrent/sluiceEngineThreads")
  ManagedThreadFactory threads;

  @Resource ManagedExecutorService executor;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject ProxySettings settings;
  @Inject jakarta.enterprise.event.Event<io.sluice.engine.probe.ProbeClient> probeClients;
  @Inject DbAccountSource accounts;
  @Inject UsageService usage;
  @Inject MetricRegistry metrics;
  @Inject ExitSnapshotLoader exitLoader;
  @Inject io.sluice.users.app.ProxyClientWhitelist proxyClients;
  @Inject io.sluice.tunnels.app.TunnelRouting tunnelRouting;
  @Inject ListenerReconciler listeners;
  @Inject io.sluice.cluster.app.ClusterNodes clusterNodes;
  @Inject io.sluice.firewall.app.VmDirectory vmDirectory;
  @Inject io.sluice.tunnels.app.TunnelMappingService tunnelMappings;
  @Inject jakarta.enterprise.event.Event<io.sluice.exits.domain.StickySessionMoved> sessionMoves;

  /**
   * The proxy client whitelist as of the last refresh: read on every connection, so never from the
   * settings store there (its cache reloads from the database every few seconds, which would put a
   * query on an event loop); refreshed with the snapshot tick and at once on a local change.
   */
  private final Refreshed<io.sluice.engine.policy.SourceWhitelist> clientWhitelist =
      new Refreshed<>(
          "the proxy client whitelist",
          () -> proxyClients.current(),
          io.sluice.engine.policy.SourceWhitelist.EMPTY);

  private volatile ProxyEngine engine;
  private volatile CachingAuthenticator authenticator;
  private volatile PoolChoosers chooser;
  private volatile String startError;
  private ScheduledFuture<?> flusher;
  private ScheduledFuture<?> refresher;
  private ScheduledFuture<?> snapshotter;
  private final java.util.concurrent.atomic.AtomicReference<ExitSnapshot> exits =
      new java.util.concurrent.atomic.AtomicReference<>(ExitSnapshot.EMPTY);

  /**
   * Liberty holds threads of a ManagedThreadFactory until the application has started, so the
   * engine is started from a managed task (which runs once start-up is complete) instead of
   * blocking the start-up thread; readiness stays DOWN until the listeners are bound.
   */
  void start(@Observes SluiceStarted started) {
    executor.submit(this::startEngine);
  }

  private void startEngine() {
    try {
      SourceWhitelist global =
          settings.sourceWhitelist().isEmpty()
              ? SourceWhitelist.EMPTY
              : SourceWhitelist.parse(settings.sourceWhitelist());
      DefaultDestinationPolicy policy =
          new DefaultDestinationPolicy(
              settings.allowDestinations(),
              settings.denyDestinations(),
              DefaultDestinationPolicy.localInterfaceAddresses());
      ExitActivity activity =
          new ExitActivity(new MetricsEvents(metrics, usage.recorder()), exits::get);
      chooser = new PoolChoosers(activity, moved -> executor.execute(() -> fireMove(moved)));
      exits.set(exitLoader.load());
      chooser.update(exits.get());
      clientWhitelist.refresh();
      authenticator =
          new CachingAuthenticator(
              accounts,
              executor,
              Clock.systemUTC(),
              settings.authCache(),
              () -> global,
              pool -> exits.get().pools().containsKey(pool),
              clientWhitelist,
              settings.authLoadTimeout(),
              settings.staleMax());
      CachingAuthenticator auth = authenticator;
      auth.vmOwners(address -> vmDirectory.byAddress(address).map(o -> o.username()));
      auth.refreshSnapshot(accounts::enabled);
      metrics.gauge("sluice_proxy_stale_seconds", auth, CachingAuthenticator::staleSeconds);
      snapshotter =
          scheduler.scheduleWithFixedDelay(
              () -> {
                clientWhitelist.refresh();
                auth.tick(accounts::enabled, Duration.ofSeconds(settings.snapshotSeconds()));
              },
              CachingAuthenticator.RETRY_INTERVAL.toMillis(),
              CachingAuthenticator.RETRY_INTERVAL.toMillis(),
              TimeUnit.MILLISECONDS);
      ExitSelector selector = new SluiceExitSelector(exits::get, chooser);
      ProxyEngine e =
          new ProxyEngine(
              settings.engineConfig(), threads, authenticator, policy, selector, activity);
      e.tunnelRouter(tunnelRouting);
      engine = e;
      metrics.gauge("sluice_proxy_active_connections", e, ProxyEngine::activeSessionCount);
      for (ExitState s : ExitState.values()) {
        String state = s.wireName();
        metrics.gauge(
            "sluice_exits",
            this,
            h -> h.exitCounts().get(state),
            new org.eclipse.microprofile.metrics.Tag("state", state));
      }
      flusher =
          scheduler.scheduleWithFixedDelay(
              this::flushQuietly,
              settings.usageFlushSeconds(),
              settings.usageFlushSeconds(),
              TimeUnit.SECONDS);
      e.start();
      probeClients.fire(e.probeClient());
      listeners.reconcileDedicated(e, exits.get());
      listeners.reconcileTunnels(e);
      listeners.bindDirectPort(e);
      refresher =
          scheduler.scheduleWithFixedDelay(
              this::refreshQuietly,
              settings.exitRefreshSeconds(),
              settings.exitRefreshSeconds(),
              TimeUnit.SECONDS);
      clusterNodes.listeners(describe(e.listenerStates()));
      LOG.log(
          Level.INFO,
          "SLUICE0300I: proxy engine started ({0} transport): {1}",
          new Object[] {e.transportName(), describe(e.listenerStates())});
      if ("epoll".equals(e.transportName()) && e.config().splice()) {
        PipeLimit.check().ifPresent(m -> LOG.log(Level.WARNING, "SLUICE0316W: " + m));
      }
    } catch (RuntimeException ex) {
      startError = ex.getMessage();
      LOG.log(Level.ERROR, "SLUICE0301E: proxy engine failed to start: " + ex.getMessage(), ex);
    }
  }

  /** A setting changed on this node (the client whitelist among them): applies at once. */
  void settingChanged(@Observes io.sluice.settings.domain.SettingChanged change) {
    clientWhitelist.refresh();
  }

  void userChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) ProxyUserChanged change) {
    applyUserChange(change);
  }

  /** A proxy-user change committed through another node (the cluster event bus). */
  void remoteChange(@Observes io.sluice.cluster.app.ClusterBus.RemoteChange change) {
    if (change.proxyUser() != null) {
      applyUserChange(change.proxyUser());
    } else if (change.is(io.sluice.cluster.domain.ClusterEvent.EXITS)) {
      refreshQuietly();
    } else if (change.is(io.sluice.cluster.domain.ClusterEvent.TUNNELS)
        || change.is(io.sluice.cluster.domain.ClusterEvent.AGENT_PLACEMENT)) {
      tunnelsChanged(null);
    }
  }

  private void applyUserChange(ProxyUserChanged change) {
    CachingAuthenticator auth = authenticator;
    if (auth != null) {
      auth.invalidate(change.username());
    }
    ProxyEngine e = engine;
    if (e != null && change.credentialsOrAccessChanged()) {
      int closed = e.closeUserSessions(change.userId());
      if (closed > 0) {
        LOG.log(
            Level.INFO,
            "SLUICE0302I: closed {0} live session(s) of proxy user {1} ({2})",
            new Object[] {closed, change.username(), change.kind()});
      }
    }
  }

  void exitsChanged(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          io.sluice.exits.domain.ExitsChanged change) {
    refreshQuietly();
  }

  /**
   * After the assignment's transaction committed (never inside it: a failing refresh there would
   * mark the caller's transaction rollback-only and silently undo it).
   */
  void dedicatedChanged(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          io.sluice.exits.domain.DedicatedChanged change) {
    refreshQuietly();
  }

  void tunnelsChanged(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          io.sluice.tunnels.domain.TunnelMappingsChanged change) {
    ProxyEngine e = engine;
    if (e != null) {
      synchronized (this) {
        try {
          listeners.reconcileTunnels(e);
        } catch (RuntimeException ex) {
          LOG.log(
              Level.WARNING,
              "SLUICE0309W: applying tunnel mappings failed: " + ex.getMessage(),
              ex);
        }
      }
    }
  }

  /** An agent connected to or left this node: bind or release its mappings' ports here. */
  void agentPlacementChanged(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          io.sluice.tunnels.domain.AgentPlacementChanged change) {
    tunnelsChanged(null);
  }

  /** Reloads exits, pools and assignments, and binds/unbinds dedicated ports to match. */
  private synchronized void refreshQuietly() {
    ProxyEngine e = engine;
    if (e == null) {
      return;
    }
    try {
      exits.set(exitLoader.load());
      chooser.update(exits.get());
      chooser.purgeExpiredSessions();
      listeners.reconcileDedicated(e, exits.get());
      listeners.reconcileTunnels(e);
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "SLUICE0305W: refreshing exits failed: " + ex.getMessage(), ex);
    }
  }

  @PreDestroy
  void stop() {
    if (flusher != null) {
      flusher.cancel(false);
    }
    if (refresher != null) {
      refresher.cancel(false);
    }
    if (snapshotter != null) {
      snapshotter.cancel(false);
    }
    ProxyEngine e = engine;
    if (e != null) {
      LOG.log(
          Level.INFO,
          "SLUICE0303I: proxy engine stopping, draining live sessions for up to {0}",
          settings.drain());
      e.stop(settings.drain());
      engine = null;
    }
    flushQuietly();
  }

  private void fireMove(io.sluice.exits.domain.StickySessionMoved moved) {
    try {
      sessionMoves.fire(moved);
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "SLUICE0601W: a session-move observer failed: " + ex.getMessage(), ex);
    }
  }

  /** The session table (session keys and their exits) of this node; empty before start. */
  public List<io.sluice.exits.domain.selection.StickySessions.SessionEntry> sessionKeys() {
    PoolChoosers c = chooser;
    return c == null ? List.of() : c.sessions().entries();
  }

  /** The live session-key entry of a pool, user and key on this node. */
  public Optional<io.sluice.exits.domain.selection.StickySessions.SessionEntry> sessionKey(
      String pool, Long userId, String key) {
    PoolChoosers c = chooser;
    return c == null || pool == null || key == null
        ? Optional.empty()
        : c.sessions().entry(pool, userId, key);
  }

  /** Exit database ids by route id (the exit's name), from the current snapshot. */
  public Map<String, Long> exitIdsByRouteId() {
    // a route's id is its exit's name; every exit, usable or not, so that sessions still running
    // through a disabled exit (a draining tor node, an exit an admin just turned off) keep it
    Map<String, Long> ids = new java.util.HashMap<>();
    exits.get().exits().forEach((id, info) -> ids.put(info.name(), id));
    return ids;
  }

  /** The name of the exit with this id, or null. */
  public String exitNameOf(Long exitId) {
    ExitSnapshot.ExitInfo info = exitId == null ? null : exits.get().exits().get(exitId);
    return info == null ? null : info.name();
  }

  /**
   * Exits by state ({@code healthy}, {@code suspect}, {@code unhealthy}, {@code disabled}), from
   * the snapshot.
   */
  public Map<String, Long> exitCounts() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    for (ExitState s : ExitState.values()) {
      counts.put(s.wireName(), 0L);
    }
    exits.get().exits().values().forEach(i -> counts.merge(i.state().wireName(), 1L, Long::sum));
    return counts;
  }

  /**
   * Ready when every configured listener (SOCKS, HTTP, mixed) is bound. Dedicated ports do not
   * count: one port taken by another process must not take the whole node out of service.
   */
  public boolean isReady() {
    ProxyEngine e = engine;
    return e != null
        && e.listenerStates().values().stream()
            .filter(st ->
                !(st.config().tag() instanceof ListenerTag.Dedicated)
                    && !(st.config().tag() instanceof ListenerTag.Tunnel))
            .allMatch(st -> st.status() == ListenerState.Status.BOUND);
  }

  /**
   * The proxy's view of its data: {@code fresh}, {@code stale} (the database does not answer; the
   * last known accounts are served) or {@code expired}; with the seconds since it went stale.
   */
  public Map<String, Object> dataPlane() {
    CachingAuthenticator a = authenticator;
    if (a == null) {
      return Map.of("state", "starting");
    }
    return Map.of(
        "state", a.dataState(),
        "staleSeconds", a.staleSeconds(),
        "knownAccounts", a.knownAccounts());
  }

  public Optional<String> startError() {
    return Optional.ofNullable(startError);
  }

  public Map<String, ListenerState> listeners() {
    ProxyEngine e = engine;
    return e == null ? Map.of() : e.listenerStates();
  }

  public List<SessionView> sessions() {
    ProxyEngine e = engine;
    return e == null ? List.of() : e.sessions();
  }

  public boolean closeSession(String id) {
    ProxyEngine e = engine;
    return e != null && e.closeSession(id);
  }

  private void flushQuietly() {
    try {
      usage.flush();
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "SLUICE0304W: usage flush failed: " + ex.getMessage(), ex);
    }
    try {
      tunnelMappings.flushStats();
    } catch (RuntimeException ex) {
      LOG.log(
          Level.WARNING,
          "SLUICE0313W: tunnel statistics flush failed, will retry: " + ex.getMessage(),
          ex);
    }
  }

  private static String describe(Map<String, ListenerState> states) {
    StringBuilder sb = new StringBuilder();
    states.forEach((name, s) ->
        sb.append(name)
            .append('=')
            .append(s.config().kind())
            .append('@')
            .append(s.boundAddress() != null ? s.boundAddress() : s.config().bind())
            .append(' ')
            .append(s.status())
            .append("; "));
    return sb.toString();
  }
}
