package io.sluice.exits.app;

import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.Routing;
import io.sluice.exits.domain.selection.ConnectionCounts;
import io.sluice.exits.domain.selection.ExitDirectory;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.exits.domain.selection.ExitView;
import io.sluice.exits.domain.selection.PoolSnapshot;
import io.sluice.exits.domain.selection.Selection;
import io.sluice.exits.domain.selection.SelectionRequest;
import io.sluice.exits.domain.selection.StickySessions;
import io.sluice.exits.domain.selection.Strategy;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pool chooser behind {@code SluiceExitSelector}: the domain's {@link ExitDirectory} (six
 * strategies, health filter, country filter, fallback chain, sticky sessions), rebuilt from each
 * new {@link ExitSnapshot} while keeping sticky sessions and round-robin cursors.
 */
public final class PoolChoosers implements PoolChooser {

  private static final Logger LOG = System.getLogger(PoolChoosers.class.getName());

  private final AtomicReference<ExitDirectory> directory;

  public PoolChoosers(ConnectionCounts counts) {
    directory = new AtomicReference<>(ExitDirectory.empty(counts, new StickySessions()));
  }

  /** Replaces the pools (members, strategies, health) with those of a fresh snapshot. */
  public void update(ExitSnapshot snapshot) {
    List<PoolSnapshot> pools = new ArrayList<>();
    for (ExitSnapshot.PoolDef def : snapshot.pools().values()) {
      List<ExitView> members = new ArrayList<>();
      for (Long id : def.members()) {
        ExitSnapshot.ExitInfo info = snapshot.exits().get(id);
        if (info != null) {
          // An exit without a usable route (e.g. invalid credentials) must not be selectable.
          ExitState st =
              snapshot.routes().containsKey(id) && info.state() != null
                  ? info.state()
                  : ExitState.DISABLED;
          Long latency = info.latencyMs() == null ? null : info.latencyMs().longValue();
          members.add(new ExitView(id, info.kind(), info.country(), st, latency));
        }
      }
      try {
        pools.add(
            new PoolSnapshot(
                def.name(), Strategy.fromName(def.strategy()), def.fallback(), members));
      } catch (IllegalArgumentException bad) {
        LOG.log(
            Level.WARNING,
            "SLUICE0332W: pool {0} skipped: {1}",
            new Object[] {def.name(), bad.getMessage()});
      }
    }
    directory.updateAndGet(d -> d.withPools(pools));
  }

  public void purgeExpiredSessions() {
    directory.get().stickySessions().purgeExpired();
  }

  @Override
  public Long choose(
      ExitSnapshot snapshot,
      String pool,
      ProxyPrincipal principal,
      Destination destination,
      Set<Long> excludedExitIds) {
    Routing routing = principal.routing();
    ExitSnapshot.PoolDef def = snapshot.pools().get(pool);
    // the pool's sticky-session lifetime applies unless the username sets its own
    java.time.Duration ttl =
        routing.sessionTtl() != null || def == null
            ? routing.sessionTtl()
            : java.time.Duration.ofMinutes(def.stickyTtlMinutes());
    SelectionRequest request =
        new SelectionRequest(
            principal.userId(),
            routing.session(),
            ttl,
            routing.country(),
            destination.host(),
            destination.port(),
            excludedExitIds);
    Selection s = directory.get().select(pool, request);
    if (s instanceof Selection.Chosen c) {
      return c.exit().id();
    }
    if (s instanceof Selection.Unavailable u && LOG.isLoggable(Level.INFO)) {
      LOG.log(
          Level.INFO,
          "SLUICE0333I: no exit for user {0} in pool {1}: {2}",
          new Object[] {principal.username(), pool, u.describe()});
    }
    return null;
  }
}
