package io.sluice.engine.config;

import io.sluice.engine.spi.ListenerTag;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One listening socket of the engine.
 *
 * @param tag what the listener is for; its {@link ListenerTag#name()} is the listener's unique
 *     {@link #name()}, and it is reported on every accepted connection as {@link
 *     io.sluice.engine.spi.ConnectionInfo#listenerTag()}
 * @param bind address and port to bind; port 0 picks an ephemeral port (see {@link
 *     io.sluice.engine.ListenerState#boundAddress()})
 * @param kind protocol(s) spoken on the socket
 * @param authRequired whether clients must authenticate (username/password, or an accepted source
 *     address); when {@code false} everyone is admitted as {@link
 *     io.sluice.engine.spi.ProxyPrincipal#anonymous()}
 */
public record ListenerConfig(
    ListenerTag tag, InetSocketAddress bind, ListenerKind kind, boolean authRequired) {

  public ListenerConfig {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(kind, "kind");
  }

  /**
   * A listener known by name: the tag is {@link ListenerTag#parse ListenerTag.parse(name)}, so
   * {@code dedicated-7} is tagged {@link ListenerTag.Dedicated Dedicated(7)}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public ListenerConfig(
      String name, InetSocketAddress bind, ListenerKind kind, boolean authRequired) {
    this(ListenerTag.parse(Objects.requireNonNull(name, "name")), bind, kind, authRequired);
  }

  /** A listener that requires authentication (the default). */
  public ListenerConfig(ListenerTag tag, InetSocketAddress bind, ListenerKind kind) {
    this(tag, bind, kind, true);
  }

  /** A listener known by name that requires authentication (the default). */
  public ListenerConfig(String name, InetSocketAddress bind, ListenerKind kind) {
    this(name, bind, kind, true);
  }

  /** Convenience: {@code host} is an IP literal or name resolved once at construction. */
  public static ListenerConfig of(
      ListenerTag tag, String host, int port, ListenerKind kind, boolean authRequired) {
    return new ListenerConfig(tag, new InetSocketAddress(host, port), kind, authRequired);
  }

  /** Convenience by name (tag {@link ListenerTag#parse ListenerTag.parse(name)}). */
  public static ListenerConfig of(
      String name, String host, int port, ListenerKind kind, boolean authRequired) {
    return new ListenerConfig(name, new InetSocketAddress(host, port), kind, authRequired);
  }

  /**
   * The unique name, reported in {@link io.sluice.engine.spi.ConnectionInfo#listener()}: {@code
   * tag().name()}.
   */
  public String name() {
    return tag.name();
  }

  @Override
  public String toString() {
    return "ListenerConfig[name="
        + name()
        + ", bind="
        + bind
        + ", kind="
        + kind
        + ", authRequired="
        + authRequired
        + "]";
  }
}
