package io.sluice.engine;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One listening socket of the engine.
 *
 * @param name unique name, reported in {@link io.sluice.engine.spi.ConnectionInfo#listener()}
 * @param bind address and port to bind; port 0 picks an ephemeral port (see {@link
 *     ListenerState#boundAddress()})
 * @param kind protocol(s) spoken on the socket
 * @param authRequired whether clients must authenticate (username/password, or an accepted
 *     source address); when {@code false} everyone is admitted as {@link
 *     io.sluice.engine.spi.ProxyPrincipal#anonymous()}
 */
public record ListenerConfig(String name, InetSocketAddress bind, ListenerKind kind, boolean authRequired) {

  public ListenerConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(kind, "kind");
    if (name.isBlank()) {
      throw new IllegalArgumentException("listener name must not be blank");
    }
  }

  /** A listener that requires authentication (the default). */
  public ListenerConfig(String name, InetSocketAddress bind, ListenerKind kind) {
    this(name, bind, kind, true);
  }

  /** Convenience: {@code host} is an IP literal or name resolved once at construction. */
  public static ListenerConfig of(String name, String host, int port, ListenerKind kind, boolean authRequired) {
    return new ListenerConfig(name, new InetSocketAddress(host, port), kind, authRequired);
  }
}
