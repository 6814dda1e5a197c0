package io.sluice.exits.app;

import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.Routing;
import io.sluice.exits.domain.StickySessionMoved;
import io.sluice.exits.domain.selection.ConnectionCounts;
import io.sluice.exits.domain.selection.ExitDirectory;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.exits.domain.selection.ExitView;
import io.sluice.exits.domain.selection.PoolSnapshot;
import io.sluice.exits.domain.selection.Selection;
import io.sluice.exits.domain.selection.SelectionRequest;
import io.sluice.exits.domain.selection.SessionMove;
import io.sluice.exits.domain.selection.StickySessions;
import io.sluice.exits.domain.selection.Strategy;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The pool chooser behind {@code SluiceExitSelector}: the domain's {@link ExitDirectory} (six
 * strategies, health filter, country filter, fallback chain, session keys in every strategy),
 * rebuilt from each new {@link ExitSnapshot} while keeping the session table and round-robin
 * cursors. A session that moves to another exit is logged (SLUICE0600I) and reported as a {@link
 * StickySessionMoved}.
 */
public final class PoolChoosers implements PoolChooser {

  private static final Logger LOG = System.getLogger(PoolChoosers.class.getName());

  private final AtomicReference<ExitDirectory> directory;
  private volatile ExitSnapshot last = ExitSnapshot.EMPTY;

  public PoolChoosers(ConnectionCounts counts) {
    this(counts, moved -> {});
  }

  /**
   * @param moves told of every session that moved to another exit (on the selecting thread: hand
   *     slow work to an executor)
   */
  public PoolChoosers(ConnectionCounts counts, Consumer<StickySessionMoved> moves) {
    StickySessions sessions = new StickySessions();
    sessions.onMove(m -> moved(m, moves));
    directory = new AtomicReference<>(ExitDirectory.empty(counts, sessions));
  }

  private void moved(SessionMove m, Consumer<StickySessionMoved> moves) {
    ExitSnapshot s = last;
    StickySessionMoved event =
        new StickySessionMoved(
            m.pool(),
            m.userId(),
            m.sessionKey(),
            m.fromExitId(),
            nameOf(s, m.fromExitId()),
            m.toExitId(),
            nameOf(s, m.toExitId()),
            m.reason(),
            Instant.ofEpochMilli(m.atMillis()));
    LOG.log(
        Level.INFO,
        "SLUICE0600I: session {0} of user {1} in pool {2} moved from exit {3} ({4}) to exit {5}"
            + " ({6}): {7}",
        new Object[] {
          event.sessionKey(),
          event.userId(),
          event.pool(),
          event.fromExitId(),
          event.fromExitName(),
          event.toExitId(),
          event.toExitName(),
          event.reason()
        });
    moves.accept(event);
  }

  private static String nameOf(ExitSnapshot s, long exitId) {
    ExitSnapshot.ExitInfo info = s.exits().get(exitId);
    return info == null ? null : info.name();
  }

  /** The session table (live sessions with their exits), shared by every pool. */
  public StickySessions sessions() {
    return directory.get().stickySessions();
  }

  /** Replaces the pools (members, strategies, health) with those of a fresh snapshot. */
  public void update(ExitSnapshot snapshot) {
    last = snapshot;
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
