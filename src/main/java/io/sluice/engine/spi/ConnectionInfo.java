package io.sluice.engine.spi;

import java.net.InetSocketAddress;

/**
 * What the engine knows about a client connection before it is authenticated.
 *
 * @param connectionId short id carried in every log line of this connection
 * @param client the client's address
 * @param listenerTag the tag of the listener that accepted it (e.g. {@link ListenerTag#SOCKS},
 *     {@link ListenerTag.Dedicated}); match on it rather than on {@link #listener()}
 * @param local the local address the client connected to
 */
public record ConnectionInfo(
    String connectionId,
    InetSocketAddress client,
    ListenerTag listenerTag,
    InetSocketAddress local) {

  /**
   * With the listener given by name; the tag is {@link ListenerTag#parse
   * ListenerTag.parse(listener)} (or null when {@code listener} is null).
   */
  public ConnectionInfo(
      String connectionId, InetSocketAddress client, String listener, InetSocketAddress local) {
    this(connectionId, client, listener == null ? null : ListenerTag.parse(listener), local);
  }

  /**
   * The name of the listener that accepted it (e.g. {@code socks}, {@code http}): {@code
   * listenerTag().name()}.
   */
  public String listener() {
    return listenerTag == null ? null : listenerTag.name();
  }

  @Override
  public String toString() {
    return "ConnectionInfo[connectionId="
        + connectionId
        + ", client="
        + client
        + ", listener="
        + listener()
        + ", local="
        + local
        + "]";
  }
}
