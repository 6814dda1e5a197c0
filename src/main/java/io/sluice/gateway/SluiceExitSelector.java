package io.sluice.gateway;

import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.engine.spi.ListenerTag;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.exits.app.ExitSnapshot;
import io.sluice.exits.app.PoolChooser;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How a session leaves: a dedicated port pins its owner's exit; otherwise the pool named in the
 * username (or the user's default pool) chooses by its strategy; a user with neither leaves
 * directly. A pool with nothing selectable yields no route (the client gets an error), never a
 * silent fallback to direct.
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
      ExitSnapshot.Dedicated d = s.dedicatedByPort().get(connection.local().getPort());
      if (d == null) {
        return null;
      }
      ExitRoute pinned =
          d.exitId() == null ? ExitRoute.direct() : s.routeFor(d.exitId(), principal);
      return pinned == null || excludedExitIds.contains(pinned.id()) ? null : pinned;
    }
    String pool = principal.routing().pool();
    if (pool == null) {
      return excludedExitIds.contains(ExitRoute.direct().id()) ? null : ExitRoute.direct();
    }
    Set<Long> excluded =
        s.routes().entrySet().stream()
            .filter(e -> excludedExitIds.contains(e.getValue().id()))
            .map(java.util.Map.Entry::getKey)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
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
}
