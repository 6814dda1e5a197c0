package io.sluice.engine.support;

import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.SessionView;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Records engine events for assertions. */
public final class RecordingEvents implements EngineEvents {

  public final List<String> handshakes = new CopyOnWriteArrayList<>();
  public final List<String> connects = new CopyOnWriteArrayList<>();
  public final List<String> authFailures = new CopyOnWriteArrayList<>();
  public final List<SessionView> opened = new CopyOnWriteArrayList<>();
  public final List<SessionView> closed = new CopyOnWriteArrayList<>();
  public final AtomicLong up = new AtomicLong();
  public final AtomicLong down = new AtomicLong();

  @Override
  public void handshake(String protocol, String result, long nanos) {
    handshakes.add(protocol + ":" + result);
  }

  @Override
  public void connect(String protocol, String result, long nanos) {
    connects.add(protocol + ":" + result);
  }

  @Override
  public void authFailure(ConnectionInfo connection, String reason) {
    authFailures.add(reason);
  }

  @Override
  public void sessionOpened(SessionView session) {
    opened.add(session);
  }

  @Override
  public void bytes(SessionView session, long u, long d) {
    up.addAndGet(u);
    down.addAndGet(d);
  }

  @Override
  public void sessionClosed(SessionView session) {
    closed.add(session);
  }
}
