package io.sluice.engine.exit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sluice.engine.net.ReadCounter;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * {@link ExitRoute.Direct}: connect straight to the checked addresses, one after another until one
 * answers, all within one timeout; optionally from {@code localAddress}.
 */
public final class DirectConnector implements Connector {

  /**
   * Bootstrap needs a handler; this one removes itself on registration, so an upstream pipeline
   * holds only what the session installs (one handler context less per idle tunnel). It only
   * prepares the read counter a splicing relay uses.
   */
  private static final ChannelHandler NO_HANDLER =
      new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
          ReadCounter.install(ch); // the session installs the relay
        }
      };

  private final Class<? extends SocketChannel> channelClass;

  public DirectConnector(Class<? extends SocketChannel> channelClass) {
    this.channelClass = channelClass;
  }

  @Override
  public Future<Channel> connect(
      ExitRoute route,
      List<InetAddress> addresses,
      Destination destination,
      EventLoop loop,
      Duration timeout) {
    ExitRoute.Direct direct = (ExitRoute.Direct) route;
    Promise<Channel> promise = loop.newPromise();
    long deadline = System.nanoTime() + timeout.toNanos();
    attempt(direct, addresses, 0, destination.port(), loop, deadline, promise, null);
    return promise;
  }

  private void attempt(
      ExitRoute.Direct route,
      List<InetAddress> addresses,
      int index,
      int port,
      EventLoop loop,
      long deadline,
      Promise<Channel> promise,
      Throwable last) {
    if (promise.isDone()) {
      return; // cancelled by the caller: no further addresses
    }
    long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
    if (index >= addresses.size() || remainingMs <= 0) {
      promise.tryFailure(
          last != null ? last : new io.netty.channel.ConnectTimeoutException("connect timed out"));
      return;
    }
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(channelClass)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, remainingMs))
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.AUTO_READ, false)
            // TCP_NODELAY is on from the socket's creation (Netty's default)
            .option(ChannelOption.ALLOCATOR, io.sluice.engine.net.Transport.ALLOCATOR)
            .handler(NO_HANDLER);
    if (route.localAddress() != null) {
      b.localAddress(new InetSocketAddress(route.localAddress(), 0));
    }
    ChannelFuture f = b.connect(new InetSocketAddress(addresses.get(index), port));
    f.addListener(done -> {
      if (done.isSuccess()) {
        if (!promise.trySuccess(f.channel())) {
          f.channel().close();
        }
      } else {
        attempt(route, addresses, index + 1, port, loop, deadline, promise, done.cause());
      }
    });
  }
}
