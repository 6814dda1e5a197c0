package io.sluice.exits.app;

import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.SessionView;
import io.sluice.exits.domain.selection.ConnectionCounts;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Counts live sessions per exit (for the least-connections strategy) and passes every event on to
 * the metrics sink.
 */
public final class ExitActivity implements EngineEvents, ConnectionCounts {

  private final EngineEvents next;
  private final Supplier<ExitSnapshot> snapshot;
  private final Map<String, AtomicInteger> byRouteId = new ConcurrentHashMap<>();

  public ExitActivity(EngineEvents next, Supplier<ExitSnapshot> snapshot) {
    this.next = next;
    this.snapshot = snapshot;
  }

  @Override
  public int active(long exitId) {
    ExitSnapshot.ExitInfo info = snapshot.get().exits().get(exitId);
    AtomicInteger n = info == null ? null : byRouteId.get(info.name());
    return n == null ? 0 : Math.max(0, n.get());
  }

  @Override
  public void handshake(String protocol, String result, long nanos) {
    next.handshake(protocol, result, nanos);
  }

  @Override
  public void connect(String protocol, String result, long nanos) {
    next.connect(protocol, result, nanos);
  }

  @Override
  public void authFailure(ConnectionInfo connection, String reason) {
    next.authFailure(connection, reason);
  }

  @Override
  public void sessionOpened(SessionView session) {
    if (session.exit() != null) {
      byRouteId.computeIfAbsent(session.exit().id(), k -> new AtomicInteger()).incrementAndGet();
    }
    next.sessionOpened(session);
  }

  @Override
  public void bytes(SessionView session, long up, long down) {
    next.bytes(session, up, down);
  }

  @Override
  public void sessionClosed(SessionView session) {
    if (session.exit() != null) {
      AtomicInteger n = byRouteId.get(session.exit().id());
      if (n != null) {
        n.decrementAndGet();
      }
    }
    next.sessionClosed(session);
  }
}
