package io.sluice.gateway;

import io.sluice.engine.ListenerState;
import io.sluice.engine.ProxyEngine;
import io.sluice.engine.spi.ListenerTag;
import io.sluice.engine.spi.SessionView;
import io.sluice.exits.app.ExitSnapshot;
import io.sluice.exits.app.PoolChoosers;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.exits.domain.selection.StickySessions.SessionEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What this node's proxy engine shows the REST resources, health checks and the console: live
 * sessions (and closing one), listeners and readiness, the session-key table, exits by name and
 * state, and the data plane's freshness. Reads what {@link ProxyHost} started; every view is empty
 * (or {@code starting}) before the engine is up.
 */
@ApplicationScoped
public class ProxyViews {

  @Inject ProxyHost host;

  /** The session table (session keys and their exits) of this node; empty before start. */
  public List<SessionEntry> sessionKeys() {
    PoolChoosers c = host.chooser();
    return c == null ? List.of() : c.sessions().entries();
  }

  /** The live session-key entry of a pool, user and key on this node. */
  public Optional<SessionEntry> sessionKey(String pool, Long userId, String key) {
    PoolChoosers c = host.chooser();
    return c == null || pool == null || key == null
        ? Optional.empty()
        : c.sessions().entry(pool, userId, key);
  }

  /** Exit database ids by route id (the exit's name), from the current snapshot. */
  public Map<String, Long> exitIdsByRouteId() {
    // a route's id is its exit's name; every exit, usable or not, so that sessions still running
    // through a disabled exit (a draining tor node, an exit an admin just turned off) keep it
    Map<String, Long> ids = new HashMap<>();
    host.exits().exits().forEach((id, info) -> ids.put(info.name(), id));
    return ids;
  }

  /** The name of the exit with this id, or null. */
  public String exitNameOf(Long exitId) {
    ExitSnapshot.ExitInfo info = exitId == null ? null : host.exits().exits().get(exitId);
    return info == null ? null : info.name();
  }

  /**
   * Exits by state ({@code healthy}, {@code suspect}, {@code unhealthy}, {@code disabled}), from
   * the snapshot.
   */
  public Map<String, Long> exitCounts() {
    return countByState(host.exits());
  }

  /** The exits of a snapshot by state, every state present (for the view and the gauges). */
  static Map<String, Long> countByState(ExitSnapshot snapshot) {
    Map<String, Long> counts = new TreeMap<>();
    for (ExitState s : ExitState.values()) {
      counts.put(s.wireName(), 0L);
    }
    snapshot.exits().values().forEach(i -> counts.merge(i.state().wireName(), 1L, Long::sum));
    return counts;
  }

  /**
   * Ready when every configured listener (SOCKS, HTTP, mixed) is bound. Dedicated ports do not
   * count: one port taken by another process must not take the whole node out of service.
   */
  public boolean isReady() {
    ProxyEngine e = host.engine();
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
    CachingAuthenticator a = host.authenticator();
    if (a == null) {
      return Map.of("state", "starting");
    }
    return Map.of(
        "state", a.dataState(),
        "staleSeconds", a.staleSeconds(),
        "knownAccounts", a.knownAccounts());
  }

  /** Why the engine failed to start, if it did. */
  public Optional<String> startError() {
    return Optional.ofNullable(host.startFailure());
  }

  public Map<String, ListenerState> listeners() {
    ProxyEngine e = host.engine();
    return e == null ? Map.of() : e.listenerStates();
  }

  public List<SessionView> sessions() {
    ProxyEngine e = host.engine();
    return e == null ? List.of() : e.sessions();
  }

  public boolean closeSession(String id) {
    ProxyEngine e = host.engine();
    return e != null && e.closeSession(id);
  }
}
