package io.sluice.engine;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.sluice.engine.config.EngineConfig;
import io.sluice.engine.config.ListenerConfig;
import io.sluice.engine.config.ListenerKind;
import io.sluice.engine.core.EngineContext;
import io.sluice.engine.core.SessionEstablisher;
import io.sluice.engine.exit.ExitConnectors;
import io.sluice.engine.mux.TunnelRouter;
import io.sluice.engine.net.DestinationGate;
import io.sluice.engine.net.HostResolver;
import io.sluice.engine.net.JdkHostResolver;
import io.sluice.engine.net.Transport;
import io.sluice.engine.probe.ProbeClient;
import io.sluice.engine.session.SessionRegistry;
import io.sluice.engine.session.UserLimiter;
import io.sluice.engine.spi.Authenticator;
import io.sluice.engine.spi.DestinationPolicy;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.engine.spi.SessionView;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Sluice proxy engine: SOCKS5, SOCKS4a and HTTP proxy listeners on Netty, independent of any
 * container. The host supplies the thread factory (a {@code ManagedThreadFactory} inside Liberty;
 * every event-loop and resolver thread comes from it) and the SPI implementations.
 *
 * <p>Life: {@link #start()} once, {@link #addListener}/{@link #removeListener} at any time, {@link
 * #stop(Duration)} once. Thread-safe.
 *
 * <p>Per-user limits ({@link io.sluice.engine.spi.UserLimits} of the authenticated principal, 0 =
 * unlimited) are enforced on this node: a session beyond {@code maxConnections} or {@code
 * connectionsPerMinute} is refused with SOCKS5 REP X'02' (not allowed by ruleset), SOCKS4 CD X'5B',
 * or HTTP {@code 429 Too Many Requests} (chosen over 403 so that clients and operators can tell a
 * limit from a policy denial, which is 403). Bandwidth limits are shared by all sessions of the
 * user and shape traffic (reading pauses), they never drop bytes. Sessions are: one per SOCKS
 * CONNECT/BIND/UDP association, one per HTTP CONNECT tunnel, and one per origin connection of an
 * HTTP forwarding client connection.
 *
 * <p>Exits: the {@link ExitSelector} picks an {@link ExitRoute} per session (direct, upstream
 * SOCKS5, upstream HTTP CONNECT); when connecting through it fails, the engine reports the failure
 * and asks for another exit, excluding the failed ones, up to {@link EngineConfig#exitRetries()}
 * times (see {@link ExitSelector}). SOCKS5 UDP ASSOCIATE is relayed directly or through an upstream
 * SOCKS5 exit (one attempt, no failover); SOCKS5 BIND only directly. Other combinations are refused
 * with REP X'07' (command not supported), never silently served directly.
 */
public final class ProxyEngine {

  private static final Logger LOG = System.getLogger(ProxyEngine.class.getName());

  private enum Life {
    NEW,
    RUNNING,
    STOPPED
  }

  private final EngineConfig config;
  private final ThreadFactory threadFactory;
  private final Transport transport;
  private final HostResolver resolver;
  private final boolean ownsResolver;
  private final SessionRegistry registry;
  private final Authenticator authenticator;
  private final DestinationPolicy policy;
  private final ExitSelector exitSelector;
  private final EngineEvents events;
  private final Map<String, ListenerState> states = new LinkedHashMap<>();
  private final Map<String, Channel> servers = new LinkedHashMap<>();
  private Life life = Life.NEW;
  private volatile TunnelRouter tunnelRouter = TunnelRouter.NONE;
  private final io.sluice.engine.mux.DirectStreams directStreams =
      new io.sluice.engine.mux.DirectStreams();
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private EngineContext context;
  private SessionEstablisher establisher;

  /** An engine resolving names with the JDK on {@code config.resolverThreads()} threads. */
  public ProxyEngine(
      EngineConfig config,
      ThreadFactory threadFactory,
      Authenticator authenticator,
      DestinationPolicy policy,
      ExitSelector exitSelector,
      EngineEvents events) {
    this(config, threadFactory, authenticator, policy, exitSelector, events, null);
  }

  /**
   * @param resolver name resolver, or {@code null} for {@link JdkHostResolver} on the thread
   *     factory (owned and closed by the engine); a given resolver is not closed by the engine
   */
  public ProxyEngine(
      EngineConfig config,
      ThreadFactory threadFactory,
      Authenticator authenticator,
      DestinationPolicy policy,
      ExitSelector exitSelector,
      EngineEvents events,
      HostResolver resolver) {
    this.config = Objects.requireNonNull(config, "config");
    this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.exitSelector = Objects.requireNonNull(exitSelector, "exitSelector");
    this.events = events == null ? EngineEvents.NONE : events;
    this.transport = Transport.select(config.preferNativeTransport());
    this.ownsResolver = resolver == null;
    this.resolver =
        resolver != null
            ? resolver
            : new JdkHostResolver(threadFactory, config.resolverThreads(), config.resolverQueue());
    this.registry = new SessionRegistry(this.events);
    for (ListenerConfig l : config.listeners()) {
      states.put(l.name(), new ListenerState(l, ListenerState.Status.PENDING, null, null));
    }
  }

  /**
   * Creates the event loops and binds every configured listener. Throws {@link
   * EngineStartException} naming each listener that could not bind (address and cause); the
   * listeners that did bind stay bound, {@link #isReady()} is false, and the host should call
   * {@link #stop}.
   */
  public synchronized void start() {
    if (life != Life.NEW) {
      throw new IllegalStateException("engine already " + life);
    }
    life = Life.RUNNING;
    boss = transport.newGroup(1, threadFactory);
    int threads =
        config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
    workers = transport.newGroup(threads, threadFactory);
    context =
        new EngineContext(
            config,
            transport,
            authenticator,
            new DestinationGate(resolver, policy),
            exitSelector,
            ExitConnectors.standard(transport.socketChannel(), resolver::resolve),
            events,
            registry,
            new UserLimiter(),
            new DefaultChannelGroup("sluice-connections", boss.next()),
            new AtomicLong());
    establisher = new SessionEstablisher(context);
    StringBuilder failures = new StringBuilder();
    Throwable firstCause = null;
    for (ListenerState s : List.copyOf(states.values())) {
      ListenerState result = bind(s.config());
      if (result.status() == ListenerState.Status.FAILED) {
        failures.append(failures.isEmpty() ? "" : "; ").append(result.error());
        firstCause = firstCause == null ? new RuntimeException(result.error()) : firstCause;
      }
    }
    LOG.log(
        Level.INFO, "Proxy engine started ({0} transport): {1}", transport.name(), states.values());
    if (!failures.isEmpty()) {
      throw new EngineStartException(
          "Proxy engine listeners failed to bind: " + failures, firstCause);
    }
  }

  /** The bootstrap of a listener (package-private for tests). */
  ServerBootstrap bootstrap(ListenerConfig l) {
    return new ServerBootstrap()
        .group(boss, workers)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.ALLOCATOR, Transport.ALLOCATOR)
        // TCP_NODELAY: Netty's socket configs turn it on when they create a socket (epoll and
        // NIO); setting it again cost a second setsockopt per connection
        .childOption(ChannelOption.ALLOCATOR, Transport.ALLOCATOR)
        .childHandler(
            new ListenerInitializer(context, establisher, l, () -> tunnelRouter, directStreams));
  }

  private ListenerState bind(ListenerConfig l) {
    ChannelFuture f = bootstrap(l).bind(l.bind()).awaitUninterruptibly();
    ListenerState state;
    if (f.isSuccess()) {
      servers.put(l.name(), f.channel());
      state =
          new ListenerState(
              l, ListenerState.Status.BOUND, (InetSocketAddress) f.channel().localAddress(), null);
      LOG.log(
          Level.INFO, "Listener {0} ({1}) bound to {2}", l.name(), l.kind(), state.boundAddress());
    } else {
      String error = "listener '" + l.name() + "' could not bind " + l.bind() + ": " + f.cause();
      state = new ListenerState(l, ListenerState.Status.FAILED, null, error);
      LOG.log(Level.ERROR, error);
    }
    states.put(l.name(), state);
    return state;
  }

  /**
   * Sets who decides on connections accepted by {@link ListenerKind#TUNNEL} listeners (default:
   * refuse all). May be called at any time; applies to connections accepted afterwards.
   */
  public void tunnelRouter(TunnelRouter router) {
    this.tunnelRouter = Objects.requireNonNull(router, "router");
  }

  /**
   * Streams waiting for their agents' data connections, accepted by {@link
   * ListenerKind#TUNNEL_DIRECT} listeners; its port is what OPEN_DIRECT announces (0 = off).
   */
  public io.sluice.engine.mux.DirectStreams directStreams() {
    return directStreams;
  }

  /** True when the engine runs and every configured listener is bound. */
  public synchronized boolean isReady() {
    return life == Life.RUNNING
        && !states.isEmpty()
        && states.values().stream().allMatch(s -> s.status() == ListenerState.Status.BOUND);
  }

  /** Listener states by name, in configuration order. */
  public synchronized Map<String, ListenerState> listenerStates() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(states));
  }

  /**
   * Adds a listener. Before {@link #start()} it is bound by start; afterwards it is bound at once
   * and a failure throws {@link EngineStartException} (the listener stays listed as FAILED until
   * removed).
   */
  public synchronized ListenerState addListener(ListenerConfig listener) {
    if (life == Life.STOPPED) {
      throw new IllegalStateException("engine stopped");
    }
    if (states.containsKey(listener.name())) {
      throw new IllegalArgumentException("listener exists: " + listener.name());
    }
    ListenerState pending = new ListenerState(listener, ListenerState.Status.PENDING, null, null);
    states.put(listener.name(), pending);
    if (life == Life.NEW) {
      return pending;
    }
    ListenerState s = bind(listener);
    if (s.status() == ListenerState.Status.FAILED) {
      throw new EngineStartException(s.error(), null);
    }
    return s;
  }

  /**
   * Stops accepting on a listener and forgets it; connections it accepted continue. Returns false
   * when there is no such listener.
   */
  public synchronized boolean removeListener(String name) {
    ListenerState s = states.remove(name);
    if (s == null) {
      return false;
    }
    Channel server = servers.remove(name);
    if (server != null) {
      server.close().awaitUninterruptibly();
      LOG.log(Level.INFO, "Listener {0} closed", name);
    }
    return true;
  }

  /**
   * Stops the engine: listeners stop accepting at once (ports are released), live sessions may
   * finish for up to {@code drain}, then every connection is closed and the event loops and
   * resolver are shut down. Blocks until done; idempotent.
   */
  public void stop(Duration drain) {
    synchronized (this) {
      if (life != Life.RUNNING) {
        life = Life.STOPPED;
        closeResolver();
        return;
      }
      life = Life.STOPPED;
      for (Map.Entry<String, Channel> e : servers.entrySet()) {
        e.getValue().close().awaitUninterruptibly();
        ListenerState s = states.get(e.getKey());
        if (s != null) {
          states.put(
              e.getKey(), new ListenerState(s.config(), ListenerState.Status.CLOSED, null, null));
        }
      }
      servers.clear();
    }
    long deadline = System.nanoTime() + (drain == null ? 0 : drain.toNanos());
    while (registry.size() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (registry.size() > 0) {
      LOG.log(
          Level.INFO, "Closing {0} sessions still live after the drain period", registry.size());
    }
    registry.closeAll();
    context.connections().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    closeResolver();
    LOG.log(Level.INFO, "Proxy engine stopped");
  }

  private void closeResolver() {
    if (ownsResolver) {
      resolver.close();
    }
  }

  /** Live sessions (relayed connections, BIND pairs, UDP associations, HTTP origin connections). */
  public List<SessionView> sessions() {
    return registry.sessions();
  }

  /** Closes one session; false when there is no such session. */
  public boolean closeSession(String id) {
    return registry.close(id);
  }

  /** Closes every session of a user (disabled, deleted, password rotated); returns how many. */
  public int closeUserSessions(long userId) {
    return registry.closeUser(userId);
  }

  public int activeSessionCount() {
    return registry.size();
  }

  /**
   * Open connections of any kind (client connections in handshake or relay, upstream connections,
   * UDP relay sockets, BIND listening sockets); listeners not counted.
   */
  public int activeConnectionCount() {
    EngineContext c = context;
    return c == null ? 0 : c.connections().size();
  }

  /**
   * A client for exit health probes on this engine's event loops, connecting through the same
   * {@link ExitConnectors} (and name resolver) as sessions. Closing it does not affect the engine.
   * Only while the engine runs (after {@link #start()}).
   *
   * @throws IllegalStateException when the engine is not running
   */
  public synchronized ProbeClient probeClient() {
    if (life != Life.RUNNING) {
      throw new IllegalStateException("engine " + life);
    }
    return new ProbeClient(workers, context.connectors(), resolver);
  }

  /** {@code epoll} or {@code nio}. */
  public String transportName() {
    return transport.name();
  }

  public EngineConfig config() {
    return config;
  }
}
