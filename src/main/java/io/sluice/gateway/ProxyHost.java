package io.sluice.gateway;

import io.sluice.engine.ListenerState;
import io.sluice.engine.ProxyEngine;
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
  @Inject io.sluice.tunnels.app.TunnelMappingService tunnelMappings;
  @Inject io.sluice.tunnels.app.TunnelRouting tunnelRouting;
  @Inject io.sluice.tunnels.app.TunnelSettings tunnelSettings;

  private volatile ProxyEngine engine;
  private volatile CachingAuthenticator authenticator;
  private volatile PoolChoosers chooser;
  private volatile String startError;
  private ScheduledFuture<?> flusher;
  private ScheduledFuture<?> refresher;
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
      chooser = new PoolChoosers(activity);
      exits.set(exitLoader.load());
      chooser.update(exits.get());
      authenticator =
          new CachingAuthenticator(
              accounts,
              executor,
              Clock.systemUTC(),
              settings.authCache(),
              () -> global,
              pool -> exits.get().pools().containsKey(pool),
              proxyClients::current);
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
      reconcileDedicated(e);
      reconcileTunnels(e);
      bindDirectPort(e);
      refresher =
          scheduler.scheduleWithFixedDelay(
              this::refreshQuietly,
              settings.exitRefreshSeconds(),
              settings.exitRefreshSeconds(),
              TimeUnit.SECONDS);
      LOG.log(
          Level.INFO,
          "SLUICE0300I: proxy engine started ({0} transport): {1}",
          new Object[] {e.transportName(), describe(e.listenerStates())});
    } catch (RuntimeException ex) {
      startError = ex.getMessage();
      LOG.log(Level.ERROR, "SLUICE0301E: proxy engine failed to start: " + ex.getMessage(), ex);
    }
  }

  void userChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) ProxyUserChanged change) {
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

  void dedicatedChanged(@Observes io.sluice.exits.domain.DedicatedChanged change) {
    refreshQuietly();
  }

  void tunnelsChanged(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          io.sluice.tunnels.domain.TunnelMappingsChanged change) {
    ProxyEngine e = engine;
    if (e != null) {
      synchronized (this) {
        try {
          reconcileTunnels(e);
        } catch (RuntimeException ex) {
          LOG.log(
              Level.WARNING,
              "SLUICE0309W: applying tunnel mappings failed: " + ex.getMessage(),
              ex);
        }
      }
    }
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
      reconcileDedicated(e);
      reconcileTunnels(e);
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "SLUICE0305W: refreshing exits failed: " + ex.getMessage(), ex);
    }
  }

  private void reconcileDedicated(ProxyEngine e) {
    java.util.Set<ListenerTag> wanted = new java.util.HashSet<>();
    for (ExitSnapshot.Dedicated d : exits.get().dedicatedByPort().values()) {
      ListenerTag tag = new ListenerTag.Dedicated(d.userId());
      String name = tag.name();
      wanted.add(tag);
      ListenerState current = e.listenerStates().get(name);
      if (current != null
          && (current.config().bind().getPort() != d.port()
              || current.status() == ListenerState.Status.FAILED)) {
        e.removeListener(name);
        current = null;
      }
      if (current == null) {
        try {
          e.addListener(
              io.sluice.engine.config.ListenerConfig.of(
                  tag,
                  settings.bind(),
                  d.port(),
                  io.sluice.engine.config.ListenerKind.MIXED,
                  true));
          LOG.log(
              Level.INFO,
              "SLUICE0306I: listening on dedicated port {0} for proxy user {1}",
              new Object[] {d.port(), d.userId()});
        } catch (RuntimeException bindFailed) {
          LOG.log(
              Level.WARNING,
              "SLUICE0307W: cannot bind dedicated port {0}: {1}",
              new Object[] {d.port(), bindFailed.getMessage()});
        }
      }
    }
    for (ListenerState st : List.copyOf(e.listenerStates().values())) {
      ListenerTag tag = st.config().tag();
      if (tag instanceof ListenerTag.Dedicated && !wanted.contains(tag)) {
        e.removeListener(tag.name());
        LOG.log(Level.INFO, "SLUICE0308I: released dedicated listener {0}", tag.name());
      }
    }
  }

  /**
   * Binds the data port of direct tunnel streams ({@code sluice.tunnel.direct-port}, off when 0)
   * and lets agents' connections offer it. A port that cannot be bound is logged and left off:
   * streams then go over the WebSocket, which always works.
   */
  private void bindDirectPort(ProxyEngine e) {
    int port = tunnelSettings.directPort();
    if (port <= 0) {
      return;
    }
    try {
      ListenerState st =
          e.addListener(
              io.sluice.engine.config.ListenerConfig.of(
                  ListenerTag.TUNNEL_DIRECT,
                  tunnelSettings.directBind(),
                  port,
                  io.sluice.engine.config.ListenerKind.TUNNEL_DIRECT,
                  false));
      if (st.status() == ListenerState.Status.BOUND) {
        io.sluice.engine.mux.DirectStreams ds = e.directStreams();
        ds.port(st.boundAddress().getPort());
        tunnelRouting.directStreams(ds);
        metrics.gauge(
            "sluice_tunnel_direct_connections",
            ds,
            io.sluice.engine.mux.DirectStreams::paired,
            new org.eclipse.microprofile.metrics.Tag("outcome", "paired"));
        metrics.gauge(
            "sluice_tunnel_direct_connections",
            ds,
            io.sluice.engine.mux.DirectStreams::rejected,
            new org.eclipse.microprofile.metrics.Tag("outcome", "rejected"));
        LOG.log(
            Level.INFO,
            "SLUICE0314I: direct tunnel streams: data port {0}",
            String.valueOf(st.boundAddress()));
        return;
      }
      directPortUnavailable(e, port, String.valueOf(st.error()));
    } catch (RuntimeException bindFailed) {
      directPortUnavailable(e, port, bindFailed.getMessage());
    }
  }

  private static void directPortUnavailable(ProxyEngine e, int port, String error) {
    e.removeListener(ListenerTag.TUNNEL_DIRECT.name());
    LOG.log(
        Level.WARNING,
        "SLUICE0315W: cannot bind the direct tunnel data port {0}: {1}; streams use the WebSocket",
        new Object[] {String.valueOf(port), error});
  }

  /**
   * Binds a TUNNEL listener on every mapping's public port and releases the ports of closed
   * mappings. A port that cannot be bound is retried at the next refresh; mappings keep their port
   * while their agent is offline (connections are then refused at once).
   */
  private void reconcileTunnels(ProxyEngine e) {
    List<io.sluice.tunnels.domain.TunnelMapping> mappings = tunnelMappings.list(null);
    tunnelRouting.update(mappings);
    tunnelRouting.retain(
        mappings.stream()
            .map(io.sluice.tunnels.domain.TunnelMapping::id)
            .collect(java.util.stream.Collectors.toSet()));
    java.util.Set<ListenerTag> wanted = new java.util.HashSet<>();
    for (io.sluice.tunnels.domain.TunnelMapping m : mappings) {
      ListenerTag tag = new ListenerTag.Tunnel(m.id());
      String name = tag.name();
      wanted.add(tag);
      ListenerState current = e.listenerStates().get(name);
      if (current != null && current.status() == ListenerState.Status.FAILED) {
        e.removeListener(name);
        current = null;
      }
      if (current == null) {
        try {
          e.addListener(
              io.sluice.engine.config.ListenerConfig.of(
                  tag,
                  tunnelSettings.bind(),
                  m.publicPort(),
                  io.sluice.engine.config.ListenerKind.TUNNEL,
                  false));
          LOG.log(
              Level.INFO,
              "SLUICE0310I: listening on tunnel port {0} for mapping {1} (agent {2} -> {3}:{4})",
              new Object[] {
                String.valueOf(m.publicPort()),
                String.valueOf(m.id()),
                String.valueOf(m.agentId()),
                m.targetHost(),
                String.valueOf(m.targetPort())
              });
        } catch (RuntimeException bindFailed) {
          LOG.log(
              Level.WARNING,
              "SLUICE0311W: cannot bind tunnel port {0}: {1}",
              new Object[] {String.valueOf(m.publicPort()), bindFailed.getMessage()});
        }
      }
    }
    for (ListenerState st : List.copyOf(e.listenerStates().values())) {
      ListenerTag tag = st.config().tag();
      if (tag instanceof ListenerTag.Tunnel && !wanted.contains(tag)) {
        e.removeListener(tag.name());
        LOG.log(Level.INFO, "SLUICE0312I: released tunnel listener {0}", tag.name());
      }
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
