package io.sluice.console.app;

import io.sluice.admin.domain.SecurityEvent;
import io.sluice.console.domain.LiveCounts;
import io.sluice.tunnels.app.AgentConnections;
import io.sluice.tunnels.domain.TunnelAgentEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The live feed of {@code GET /api/v1/events}: every {@value #TICK_SECONDS} seconds a {@code stats}
 * event (live sessions, exits by state, agents online) while anyone listens, and the domain events
 * of other features as they happen ({@code agent} for tunnel agents, {@code security} for admins
 * only). Streams whose token expired are closed at the next tick.
 */
@ApplicationScoped
public class ConsoleEvents {

  private static final Logger LOG = System.getLogger(ConsoleEvents.class.getName());

  /** Seconds between two {@code stats} events. */
  static final int TICK_SECONDS = 2;

  /** Open streams per node, at most; one more is refused (503) so a leak cannot grow unbounded. */
  static final int MAX_SUBSCRIBERS = 200;

  @Resource ManagedScheduledExecutorService scheduler;
  @Inject Instance<LiveCounts> live;
  @Inject AgentConnections agents;

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final Clock clock;
  private ScheduledFuture<?> ticker;
  private volatile boolean snapshotFailing;

  public ConsoleEvents() {
    this(Clock.systemUTC());
  }

  ConsoleEvents(Clock clock) {
    this.clock = clock;
  }

  /** Adds a stream and sends it a first snapshot; false when too many streams are open. */
  public boolean subscribe(Subscriber s) {
    prune();
    if (subscribers.size() >= MAX_SUBSCRIBERS) {
      return false;
    }
    subscribers.add(s);
    startTicker();
    s.send("hello", Json.createObjectBuilder().add("role", s.role()).build().toString());
    String snapshot = snapshot();
    if (snapshot != null) {
      s.send("stats", snapshot);
    }
    return true;
  }

  /** Open streams now. */
  public int subscribers() {
    return subscribers.size();
  }

  /** Sends one event to every open stream whose role the audience allows; returns how many. */
  public int publish(Audience audience, String event, String json) {
    int sent = 0;
    for (Subscriber s : subscribers) {
      if (!audience.allows(s.role())) {
        continue;
      }
      if (s.isClosed() || !s.send(event, json)) {
        drop(s);
      } else {
        sent++;
      }
    }
    return sent;
  }

  /** Closes streams whose token expired and forgets those the client closed. */
  public void prune() {
    Instant now = clock.instant();
    for (Subscriber s : subscribers) {
      if (s.isClosed()) {
        subscribers.remove(s);
      } else if (!now.isBefore(s.expiresAt())) {
        s.send("expired", "{}");
        drop(s);
      }
    }
  }

  /** One tick: prune, then the stats snapshot to everyone. */
  void tick() {
    prune();
    if (subscribers.isEmpty()) {
      return;
    }
    String snapshot = snapshot();
    if (snapshot != null) {
      publish(Audience.VIEWER, "stats", snapshot);
    }
  }

  /** The stats event: sessions and exits by state of this node, agents connected to it. */
  String snapshot() {
    try {
      JsonObjectBuilder b = Json.createObjectBuilder().add("at", clock.instant().toString());
      if (live != null && live.isResolvable()) {
        LiveCounts counts = live.get();
        b.add("sessions", counts.sessions());
        JsonObjectBuilder exits = Json.createObjectBuilder();
        for (Map.Entry<String, Long> e : counts.exitsByState().entrySet()) {
          exits.add(e.getKey(), e.getValue());
        }
        b.add("exits", exits);
      }
      if (agents != null) {
        b.add("agentsOnline", agents.count());
      }
      snapshotFailing = false;
      return b.build().toString();
    } catch (RuntimeException e) {
      if (!snapshotFailing) {
        LOG.log(Level.WARNING, "SLUICE1101W: console stats snapshot failed: {0}", e.toString());
        snapshotFailing = true;
      }
      return null;
    }
  }

  void onAgent(@Observes TunnelAgentEvent e) {
    publish(
        Audience.VIEWER,
        "agent",
        Json.createObjectBuilder()
            .add("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT))
            .add("agentId", String.valueOf(e.agentId()))
            .add("at", String.valueOf(e.at()))
            .build()
            .toString());
  }

  void onSecurity(@Observes SecurityEvent e) {
    publish(
        Audience.ADMIN,
        "security",
        Json.createObjectBuilder()
            .add("kind", String.valueOf(e.kind()))
            .add("subject", String.valueOf(e.subject()))
            .add("at", String.valueOf(e.at()))
            .build()
            .toString());
  }

  private void drop(Subscriber s) {
    subscribers.remove(s);
    try {
      s.close();
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "closing an event stream failed: {0}", e.toString());
    }
  }

  private synchronized void startTicker() {
    if (ticker != null || scheduler == null) {
      return;
    }
    ticker =
        scheduler.scheduleWithFixedDelay(
            this::tickQuietly, TICK_SECONDS, TICK_SECONDS, TimeUnit.SECONDS);
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "SLUICE1102W: console event tick failed: {0}", e.toString());
    }
  }

  @PreDestroy
  synchronized void stop() {
    if (ticker != null) {
      ticker.cancel(false);
    }
    for (Subscriber s : subscribers) {
      drop(s);
    }
  }
}
