package io.sluice.engine.exit;

import io.netty.channel.socket.SocketChannel;
import io.sluice.engine.spi.ExitRoute;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Maps each {@link ExitRoute} type to its {@link Connector}. Adding an exit type means adding one
 * {@code ExitRoute} record and one connector here.
 */
public final class ExitConnectors {

  private final Map<Class<? extends ExitRoute>, Connector> connectors;

  public ExitConnectors(Map<Class<? extends ExitRoute>, Connector> connectors) {
    this.connectors = Map.copyOf(connectors);
  }

  /**
   * The connectors of every route type, as the engine uses them for sessions (and exit health
   * probes use them too).
   *
   * @param resolver looks up an upstream proxy's host name; completes off the event loop
   */
  public static ExitConnectors standard(
      Class<? extends SocketChannel> channelClass,
      Function<String, CompletionStage<List<InetAddress>>> resolver) {
    return new ExitConnectors(
        Map.of(
            ExitRoute.Direct.class, new DirectConnector(channelClass),
            ExitRoute.Socks5Upstream.class, new Socks5UpstreamConnector(channelClass, resolver),
            ExitRoute.HttpUpstream.class, new HttpUpstreamConnector(channelClass, resolver)));
  }

  /** The connector for the route, or {@code null} when the route type is not supported. */
  public Connector forRoute(ExitRoute route) {
    return route == null ? null : connectors.get(route.getClass());
  }
}
