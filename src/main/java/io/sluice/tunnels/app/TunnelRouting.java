package io.sluice.tunnels.app;

import io.github.bucket4j.Bucket;
import io.sluice.engine.mux.StreamObserver;
import io.sluice.engine.mux.TunnelRoute;
import io.sluice.engine.mux.TunnelRouter;
import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.engine.session.UserLimiter;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.ListenerTag;
import io.sluice.tunnels.domain.TunnelMapping;
import io.sluice.tunnels.domain.TunnelStatsDelta;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Decides on every connection accepted on a tunnel port (engine event loop, never blocks): the
 * mapping's source allow list, its connection limit and whether its agent is connected to this node
 * are checked on every new connection; refusals close the connection at once and are counted by
 * reason ({@code sluice_tunnel_open_failures_total{reason}}). Keeps each mapping's statistics: live
 * counters on this node plus deltas that {@link #drainDeltas} hands to the database, so totals
 * survive restarts and add up across nodes.
 */
@ApplicationScoped
public class TunnelRouting implements TunnelRouter {

  private static final Logger LOG = System.getLogger(TunnelRouting.class.getName());

  /** Engine listener name of a mapping's public port: prefix + mapping id. */
  private volatile io.sluice.engine.mux.DirectStreams directStreams;

  /** Where direct streams wait for their data connections, once the data port is bound. */
  public void directStreams(io.sluice.engine.mux.DirectStreams streams) {
    this.directStreams = streams;
  }

  /**
   * The direct-stream registry when the data port is bound, else null (streams use the WebSocket).
   */
  public io.sluice.engine.mux.DirectStreams directStreams() {
    io.sluice.engine.mux.DirectStreams d = directStreams;
    return d != null && d.port() > 0 ? d : null;
  }

  @Inject MetricRegistry metrics;
  @Inject AgentConnections connections;

  private volatile Map<Long, Route> byMapping = Map.of();
  private final Map<Long, MappingStats> stats = new ConcurrentHashMap<>();
  private final Map<String, Counter> failureCounters = new ConcurrentHashMap<>();
  private Counter bytesIn;
  private Counter bytesOut;

  @PostConstruct
  void init() {
    bytesIn = metrics.counter("sluice_tunnel_bytes", new Tag("direction", "in"));
    bytesOut = metrics.counter("sluice_tunnel_bytes", new Tag("direction", "out"));
    metrics.gauge("sluice_tunnel_agents_connected", connections::count);
    metrics.gauge("sluice_tunnel_streams_active", connections::activeStreams);
  }

  /** One mapping as the router applies it. */
  record Route(
      TunnelMapping mapping, SourceWhitelist sources, Bucket up, Bucket down, MappingStats stats) {}

  /** Live statistics of one mapping on this node, and what has not been persisted yet. */
  public static final class MappingStats {
    final AtomicInteger active = new AtomicInteger();
    final AtomicLong total = new AtomicLong();
    final AtomicLong bytesIn = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong lastActivityMillis = new AtomicLong();
    final Map<String, AtomicLong> errorsByReason = new ConcurrentHashMap<>();

    public int active() {
      return active.get();
    }

    /** Errors by reason on this node since it started. */
    public Map<String, Long> errorsByReason() {
      Map<String, Long> m = new java.util.TreeMap<>();
      errorsByReason.forEach((k, v) -> m.put(k, v.get()));
      return m;
    }

    void touch() {
      lastActivityMillis.set(System.currentTimeMillis());
    }
  }

  /**
   * Applies the current mappings; a public port's listener is tagged {@code
   * ListenerTag.Tunnel(id)}.
   */
  public void update(List<TunnelMapping> mappings) {
    Map<Long, Route> current = byMapping;
    Map<Long, Route> next = new HashMap<>();
    for (TunnelMapping m : mappings) {
      Route old = current.get(m.id());
      if (old != null && old.mapping().equals(m)) {
        next.put(m.id(), old);
        continue;
      }
      MappingStats s = stats.computeIfAbsent(m.id(), id -> new MappingStats());
      next.put(
          m.id(),
          new Route(
              m,
              SourceWhitelist.parse(m.allowedSources()),
              UserLimiter.bandwidth(m.bandwidthBps()),
              UserLimiter.bandwidth(m.bandwidthBps()),
              s));
    }
    byMapping = Map.copyOf(next);
  }

  /** This node's live statistics of a mapping (zeros when it has seen no connection). */
  public MappingStats stats(long mappingId) {
    MappingStats s = stats.get(mappingId);
    return s != null ? s : new MappingStats();
  }

  /** Takes the deltas to persist; {@link #restore} puts them back if writing them failed. */
  public Map<Long, TunnelStatsDelta> drainDeltas() {
    Map<Long, TunnelStatsDelta> out = new HashMap<>();
    stats.forEach((id, s) -> {
      PendingCounts p = pending.computeIfAbsent(id, k -> new PendingCounts());
      TunnelStatsDelta d = p.drain(s.lastActivityMillis.get());
      if (!d.isEmpty()) {
        out.put(id, d);
      }
    });
    return out;
  }

  /** The unflushed counts of a mapping, without taking them. */
  public TunnelStatsDelta peek(long mappingId) {
    PendingCounts p = pending.get(mappingId);
    MappingStats s = stats.get(mappingId);
    long last = s == null ? 0 : s.lastActivityMillis.get();
    Instant at = last == 0 ? null : Instant.ofEpochMilli(last);
    return p == null
        ? new TunnelStatsDelta(0, 0, 0, 0, at)
        : new TunnelStatsDelta(p.connections.get(), p.in.get(), p.out.get(), p.errors.get(), at);
  }

  public void restore(Map<Long, TunnelStatsDelta> deltas) {
    deltas.forEach((id, d) -> pending.computeIfAbsent(id, k -> new PendingCounts()).add(d));
  }

  /** Forgets the statistics of mappings that no longer exist. */
  public void retain(java.util.Set<Long> mappingIds) {
    stats.keySet().retainAll(mappingIds);
    pending.keySet().retainAll(mappingIds);
  }

  private final Map<Long, PendingCounts> pending = new ConcurrentHashMap<>();

  /** Counts since the last flush. */
  static final class PendingCounts {
    final AtomicLong connections = new AtomicLong();
    final AtomicLong in = new AtomicLong();
    final AtomicLong out = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    TunnelStatsDelta drain(long lastActivityMillis) {
      return new TunnelStatsDelta(
          connections.getAndSet(0),
          in.getAndSet(0),
          out.getAndSet(0),
          errors.getAndSet(0),
          lastActivityMillis == 0 ? null : Instant.ofEpochMilli(lastActivityMillis));
    }

    void add(TunnelStatsDelta d) {
      connections.addAndGet(d.connections());
      in.addAndGet(d.bytesIn());
      out.addAndGet(d.bytesOut());
      errors.addAndGet(d.errors());
    }
  }

  @Override
  public TunnelRoute route(ConnectionInfo connection) {
    Route r =
        connection.listenerTag() instanceof ListenerTag.Tunnel t
            ? byMapping.get(t.mappingId())
            : null;
    if (r == null) {
      return refuse(null, connection, "no_mapping");
    }
    if (!r.sources().isEmpty() && !r.sources().matches(connection.client().getAddress())) {
      return refuse(r, connection, "source_denied");
    }
    AgentConnections.Link link = connections.link(r.mapping().agentId());
    if (link == null || link.mux().isClosed()) {
      return refuse(r, connection, "agent_offline");
    }
    MappingStats s = r.stats();
    int max = r.mapping().maxConnections(); // 0 = unlimited
    if (s.active.incrementAndGet() > max && max > 0) {
      s.active.decrementAndGet();
      return refuse(r, connection, "max_connections");
    }
    s.total.incrementAndGet();
    pending(r).connections.incrementAndGet();
    s.touch();
    return new TunnelRoute.Relay(
        link.mux(),
        r.mapping().targetHost(),
        r.mapping().targetPort(),
        r.up(),
        r.down(),
        new Observer(r));
  }

  private PendingCounts pending(Route r) {
    return pending.computeIfAbsent(r.mapping().id(), k -> new PendingCounts());
  }

  private TunnelRoute refuse(Route r, ConnectionInfo c, String reason) {
    failure(r, reason);
    LOG.log(
        Level.DEBUG,
        "[{0}] tunnel connection from {1} on {2} refused: {3}",
        new Object[] {c.connectionId(), c.client(), c.listener(), reason});
    return new TunnelRoute.Refuse(reason);
  }

  private void failure(Route r, String reason) {
    failureCounters
        .computeIfAbsent(
            reason, k -> metrics.counter("sluice_tunnel_open_failures", new Tag("reason", k)))
        .inc();
    if (r != null) {
      r.stats().errors.incrementAndGet();
      r.stats().errorsByReason.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
      r.stats().touch();
      pending(r).errors.incrementAndGet();
    }
  }

  /** One stream's observer: counts its bytes and ends it exactly once. */
  private final class Observer implements StreamObserver {
    private final Route route;
    private final PendingCounts pendingCounts;
    private boolean failed;

    Observer(Route route) {
      this.route = route;
      this.pendingCounts = pending(route);
    }

    @Override
    public void openFailed(String reason) {
      failed = true;
      failure(route, reason);
    }

    @Override
    public void bytes(long in, long out) {
      MappingStats s = route.stats();
      if (in > 0) {
        s.bytesIn.addAndGet(in);
        pendingCounts.in.addAndGet(in);
        bytesIn.inc(in);
      }
      if (out > 0) {
        s.bytesOut.addAndGet(out);
        pendingCounts.out.addAndGet(out);
        bytesOut.inc(out);
      }
      s.touch();
    }

    @Override
    public void ended(String error) {
      route.stats().active.decrementAndGet();
      if (error != null && !failed) {
        MappingStats s = route.stats();
        s.errors.incrementAndGet();
        s.errorsByReason.computeIfAbsent(error, k -> new AtomicLong()).incrementAndGet();
        pendingCounts.errors.incrementAndGet();
      }
      route.stats().touch();
    }
  }
}
