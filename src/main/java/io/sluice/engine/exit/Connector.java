package io.sluice.engine.exit;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Opens the upstream TCP connection for one kind of {@link ExitRoute}: {@link DirectConnector},
 * {@link Socks5UpstreamConnector}, {@link HttpUpstreamConnector} (registered in {@link
 * ExitConnectors}). A failure is classified by {@link FailureKind#ofConnectError}; upstream
 * connectors fail with an already classified {@link ExitFailureException}.
 *
 * <p>The returned channel is connected, has {@code autoRead} off and half-closure allowed, and an
 * empty pipeline the caller fills.
 */
public interface Connector {

  /**
   * @param addresses the policy-checked addresses of the destination, to try in order
   * @param destination the destination as the client named it (upstream proxies want the name)
   * @param loop the client's event loop; the upstream channel is registered on it
   */
  Future<Channel> connect(
      ExitRoute route,
      List<InetAddress> addresses,
      Destination destination,
      EventLoop loop,
      Duration timeout);
}
