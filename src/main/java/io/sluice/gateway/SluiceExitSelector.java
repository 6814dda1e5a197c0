package io.sluice.gateway;

import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.engine.spi.ListenerTag;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.exits.app.ExitSnapshot;
import io.sluice.exits.app.PoolChooser;
import io.sluice.exits.domain.selection.ExitState;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How a session leaves: a dedicated port pins its owner's exit; otherwise the pool named in the
 * username (or the user's default pool) chooses by its strategy; a user with neither leaves
 * directly. A pool with nothing selectable, or that no longer exists, yields no route (the client
 * gets SOCKS5 REP X'01' or HTTP 503), never a silent fallback to direct.
 *
 * <p>A dedicated port leaves only through its pinned exit, and only while that exit is enabled and
 * not unhealthy; an assignment without an exit (its user had no usable pool, or the exit was
 * deleted) refuses. It leaves directly only when the pinned exit is one of kind {@code direct}.
 */
public final class SluiceExitSelector implements ExitSelector {

  private static final Logger LOG = System.getLogger(SluiceExitSelector.class.getName());

  private final Supplier<ExitSnapshot> snapshot;
  private final PoolChooser chooser;

  public SluiceExitSelector(Supplier<ExitSnapshot> snapshot, PoolChooser chooser) {
    this.snapshot = snapshot;
    this.chooser = chooser;
  }

  @Override
  public ExitRoute select(
      ProxyPrincipal principal, ConnectionInfo connection, Destination destination) {
    return select(principal, connection, destination, Set.of());
  }

  @Override
  public ExitRoute select(
      ProxyPrincipal principal,
      ConnectionInfo connection,
      Destination destination,
      Set<String> excludedExitIds) {
    ExitSnapshot s = snapshot.get();
    if (connection.listenerTag() instanceof ListenerTag.Dedicated) {
      return dedicated(s, connection, principal, excludedExitIds);
    }
    if (connection.listenerTag() instanceof ListenerTag.Transparent && principal.userId() != null) {
      // a VM's traffic leaves through its user's dedicated exit, else the user's default pool
      Integer port = dedicatedPortOf(s, principal.userId());
      if (port != null) {
        return dedicated(s, connection, principal, excludedExitIds, port);
      }
    }
    String pool = principal.routing().pool();
    if (pool == null) {
      return excludedExitIds.contains(ExitRoute.direct().id()) ? null : ExitRoute.direct();
    }
    // the first attempt excludes nothing: no pass over every route of the snapshot per connection
    Set<Long> excluded =
        excludedExitIds.isEmpty()
            ? Set.of()
            : s.routes().entrySet().stream()
                .filter(e -> excludedExitIds.contains(e.getValue().id()))
                .map(java.util.Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    if (!s.pools().containsKey(pool)) {
      LOG.log(
          Level.WARNING,
          "SLUICE0644W: [{0}] user {1} refused: pool {2} does not exist (deleted?)",
          new Object[] {connection.connectionId(), principal.username(), pool});
      return null;
    }
    Long chosen = chooser.choose(s, pool, principal, destination, excluded);
    if (chosen == null) {
      if (LOG.isLoggable(Level.INFO)) {
        LOG.log(
            Level.INFO,
            "SLUICE0331I: [{0}] no selectable exit in pool {1} for {2}",
            new Object[] {connection.connectionId(), pool, destination});
      }
      return null;
    }
    // an exit with an upstream username template gets this connection's own username
    return s.routeFor(chosen, principal);
  }

  /**
   * The pinned exit of a dedicated port, or {@code null} (refused, logged) when it cannot serve.
   */
  private static ExitRoute dedicated(
      ExitSnapshot s,
      ConnectionInfo connection,
      ProxyPrincipal principal,
      Set<String> excludedExitIds) {
    return dedicated(s, connection, principal, excludedExitIds, connection.local().getPort());
  }

  private static Integer dedicatedPortOf(ExitSnapshot s, long userId) {
    for (ExitSnapshot.Dedicated d : s.dedicatedByPort().values()) {
      if (d.userId() == userId) {
        return d.port();
      }
    }
    return null;
  }

  private static ExitRoute dedicated(
      ExitSnapshot s,
      ConnectionInfo connection,
      ProxyPrincipal principal,
      Set<String> excludedExitIds,
      int port) {
    ExitSnapshot.Dedicated d = s.dedicatedByPort().get(port);
    String refused;
    ExitRoute pinned = null;
    if (d == null) {
      refused = "no assignment";
    } else if (d.exitId() == null) {
      refused = "no exit assigned (no usable exit in the user's pool, or the exit was deleted)";
    } else {
      pinned = s.routes().get(d.exitId());
      ExitSnapshot.ExitInfo info = s.exits().get(d.exitId());
      if (pinned == null || info == null) {
        refused = "exit " + d.exitId() + " is disabled, deleted or unusable";
      } else if (info.state() == ExitState.UNHEALTHY) {
        refused = "exit " + info.name() + " is unhealthy";
      } else {
        refused = null;
      }
    }
    if (refused != null) {
      LOG.log(
          Level.INFO,
          "SLUICE0643I: [{0}] dedicated port {1} refused: {2}",
          new Object[] {connection.connectionId(), port, refused});
      return null;
    }
    // an exit with an upstream username template gets this connection's own username
    ExitRoute route = s.routeFor(d.exitId(), principal);
    return route == null || excludedExitIds.contains(route.id()) ? null : route;
  }
}
