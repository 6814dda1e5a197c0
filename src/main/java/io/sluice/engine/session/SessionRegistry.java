package io.sluice.engine.session;

import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.SessionView;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Live sessions of this engine, by id. Fires {@code sessionOpened}/{@code sessionClosed}. */
public final class SessionRegistry {

  private final ConcurrentHashMap<String, ProxySession> sessions = new ConcurrentHashMap<>();
  private final EngineEvents events;

  public SessionRegistry(EngineEvents events) {
    this.events = events;
  }

  /** Registers a new session; it unregisters itself when it ends. */
  public void register(ProxySession session) {
    sessions.put(session.id(), session);
    session.onEnd(() -> {
      sessions.remove(session.id());
      events.sessionClosed(session);
    });
    events.sessionOpened(session);
  }

  public List<SessionView> sessions() {
    return List.copyOf(sessions.values());
  }

  public boolean close(String id) {
    ProxySession s = sessions.get(id);
    if (s == null) {
      return false;
    }
    s.close();
    return true;
  }

  /** Closes every session of the user; returns how many were asked to close. */
  public int closeUser(long userId) {
    int n = 0;
    for (ProxySession s : sessions.values()) {
      if (Objects.equals(s.principal().userId(), userId)) {
        s.close();
        n++;
      }
    }
    return n;
  }

  public void closeAll() {
    sessions.values().forEach(ProxySession::close);
  }

  public int size() {
    return sessions.size();
  }
}
