package io.sluice.exits.app;

import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitPoolEntity;
import io.sluice.exits.domain.ExitRepository;
import io.sluice.exits.domain.ExitsChanged;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.exits.domain.selection.ExitView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Exits of kind {@code tor}: the nodes of Sluice's Tor fleet ({@code io.sluice.tor}), each an
 * upstream SOCKS5 on {@code 127.0.0.1} at its tor's SOCKS port, member of the pool {@value #POOL}
 * (created with strategy {@code round-robin} when missing). Only the fleet creates and removes
 * them; once they exist, routing, strategies, sessions, health checks and usage treat them like any
 * exit. The exits API does not accept kind {@code tor}. Each such exit belongs to the server that
 * runs its tor ({@code tor_server}): its {@code 127.0.0.1:port} is only right there, so the exit
 * selection of every other server leaves it out ({@link #usableHere}).
 */
@ApplicationScoped
public class TorExitService {

  public static final String POOL = "tor";

  @Inject ExitRepository repo;
  @Inject Event<ExitsChanged> changed;

  /** This server's name in the Tor fleet, once its fleet has synced a node; else null. */
  private volatile String localServer;

  /**
   * Whether this server can use exit {@code e}: any exit that is not of kind {@code tor}, and the
   * tor exits of this server's own nodes.
   */
  public boolean usableHere(ExitNodeEntity e) {
    return !ExitView.TOR.equals(e.kind) || (e.torServer != null && e.torServer.equals(localServer));
  }

  /**
   * Creates or updates the exit {@code name} of a node that {@code server} (this server) runs:
   * enabled when {@code socksPort} is known and the node is {@code usable} (ready), with {@code
   * country} (null for any). Fires {@link ExitsChanged} only when something changed (or when this
   * server learns its fleet name, so that its own exits enter its selection).
   *
   * @return the exit's id
   */
  @Transactional
  public long sync(String server, String name, Integer socksPort, String country, boolean usable) {
    boolean learned = !server.equals(localServer);
    localServer = server;
    Optional<ExitNodeEntity> found = repo.exitByName(name);
    ExitNodeEntity e = found.orElseGet(ExitNodeEntity::new);
    boolean enabled = usable && socksPort != null;
    boolean dirty =
        found.isEmpty()
            || learned
            || !Objects.equals(e.port, socksPort)
            || !Objects.equals(e.country, country)
            || !Objects.equals(e.torServer, server)
            || e.enabled != enabled;
    if (!dirty) {
      return e.id;
    }
    Instant now = Instant.now();
    if (found.isEmpty()) {
      e.name = name;
      e.kind = ExitView.TOR;
      e.host = "127.0.0.1";
      e.state = ExitState.HEALTHY;
      e.createdAt = now;
    }
    e.port = socksPort;
    e.country = country;
    e.torServer = server;
    e.enabled = enabled;
    e.updatedAt = now;
    if (found.isEmpty()) {
      repo.insert(e);
      pool().members.add(e);
    }
    changed.fire(new ExitsChanged("exit"));
    return e.id;
  }

  /** Disables the exit (no new sessions; existing ones run on): the first step of draining. */
  @Transactional
  public void disable(String name) {
    repo.exitByName(name)
        .filter(e -> e.enabled)
        .ifPresent(e -> {
          e.enabled = false;
          e.updatedAt = Instant.now();
          changed.fire(new ExitsChanged("exit"));
        });
  }

  /** Removes the exit from its pools and deletes it (nothing if it does not exist). */
  @Transactional
  public void remove(String name) {
    repo.exitByName(name)
        .ifPresent(e -> {
          for (ExitPoolEntity p : repo.poolsContaining(e)) {
            p.members.remove(e);
          }
          repo.delete(e);
          changed.fire(new ExitsChanged("exit"));
        });
  }

  private ExitPoolEntity pool() {
    return repo.poolByName(POOL)
        .orElseGet(() -> {
          ExitPoolEntity p = new ExitPoolEntity();
          p.name = POOL;
          p.strategy = "round-robin";
          p.stickyTtlMinutes = 30;
          p.createdAt = p.updatedAt = Instant.now();
          return repo.insert(p);
        });
  }
}
