package io.sluice.gateway;

import io.sluice.engine.ListenerState;
import io.sluice.engine.ProxyEngine;
import io.sluice.engine.net.PipeLimit;
import io.sluice.engine.policy.DefaultDestinationPolicy;
import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.exits.app.ExitActivity;
import io.sluice.exits.app.ExitSnapshot;
import io.sluice.exits.app.ExitSnapshotLoader;
import io.sluice.exits.app.PoolChoosers;
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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The connector-style host of the proxy engine: after start-up it builds the engine from
 * configuration (with {@link EngineAssembly}), runs Netty's event loops on threads of a Jakarta
 * Concurrency ManagedThreadFactory, and binds the listeners; admin changes to a proxy user drop the
 * cached account and cut the user's live sessions; exit, tunnel and placement changes rebind the
 * dedicated and tunnel ports; on application stop it refuses new connections, drains live ones
 * within {@code sluice.proxy.drain-seconds} and releases the ports, so a redeploy binds again. What
 * it runs is shown to the rest of the node by {@link ProxyViews}.
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
      EngineAssembly assembly = new EngineAssembly(settings, metrics);
      SourceWhitelist global = assembly.globalWhitelist();
      DefaultDestinationPolicy policy = assembly.policy();
      ExitActivity activity = assembly.activity(usage, exits::get);
      chooser = new PoolChoosers(activity, moved -> executor.execute(() -> fireMove(moved)));
      exits.set(exitLoader.load());
      chooser.update(exits.get());
      clientWhitelist.refresh();
      authenticator =
          assembly.authenticator(
              accounts,
              executor,
              global,
              pool -> exits.get().pools().containsKey(pool),
              clientWhitelist,
              vmDirectory);
      CachingAuthenticator auth = authenticator;
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
      ProxyEngine e = assembly.engine(threads, auth, policy, selector, activity, tunnelRouting);
      engine = e;
      assembly.gauges(e, exits);
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

  /** The running engine; null before it started and after stop. */
  ProxyEngine engine() {
    return engine;
  }

  /** The authenticator once built; null before. */
  CachingAuthenticator authenticator() {
    return authenticator;
  }

  /** The pool choosers (and their session table) once built; null before. */
  PoolChoosers chooser() {
    return chooser;
  }

  /** The current exit snapshot ({@link ExitSnapshot#EMPTY} before start). */
  ExitSnapshot exits() {
    return exits.get();
  }

  /** Why the engine failed to start, or null. */
  String startFailure() {
    return startError;
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
