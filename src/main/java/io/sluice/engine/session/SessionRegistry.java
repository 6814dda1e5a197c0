package io.sluice.engine.session;

import io.netty.channel.Channel;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.SessionView;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Live sessions of this engine, by id. Fires {@code sessionOpened}/{@code sessionClosed}. */
public final class SessionRegistry {

  private final ConcurrentHashMap<String, ProxySession> sessions = new ConcurrentHashMap<>();

  /** Client connections that authenticated as a user, by user id (closed by closeUser too). */
  private final ConcurrentHashMap<Long, Set<Channel>> authenticated = new ConcurrentHashMap<>();

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

  /**
   * Remembers a client connection that authenticated as {@code userId} until it closes, so that
   * {@link #closeUser} also ends connections that are between sessions (an HTTP keep-alive
   * connection whose principal is cached, a BIND waiting for its peer).
   */
  public void trackAuthenticated(Long userId, Channel client) {
    if (userId == null) {
      return;
    }
    authenticated.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet()).add(client);
    client
        .closeFuture()
        .addListener(f ->
            authenticated.computeIfPresent(
                userId,
                (k, set) -> {
                  set.remove(client);
                  return set.isEmpty() ? null : set;
                }));
  }

  /**
   * Closes every session of the user and every connection that authenticated as the user; returns
   * the number of sessions asked to close.
   */
  public int closeUser(long userId) {
    List<ProxySession> matching =
        sessions.values().stream()
            .filter(s -> Objects.equals(s.principal().userId(), userId))
            .toList();
    matching.forEach(ProxySession::close);
    Set<Channel> clients = authenticated.get(userId);
    if (clients != null) {
      clients.forEach(Channel::close);
    }
    return matching.size();
  }

  public void closeAll() {
    sessions.values().forEach(ProxySession::close);
  }

  public int size() {
    return sessions.size();
  }
}
