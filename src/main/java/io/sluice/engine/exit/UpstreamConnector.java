package io.sluice.engine.exit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Base of the connectors that leave through an upstream proxy: resolve the proxy's host (an IP
 * literal is parsed; a name is looked up off the event loop by the given resolver; the proxy
 * address is configuration, not subject to the destination policy), connect to its addresses one
 * after another, then run the proxy handshake ({@link UpstreamHandshake}) on the new channel. One
 * timeout covers all of it. The promise succeeds when the upstream has answered the CONNECT with
 * success; the channel then relays to the destination.
 *
 * <p>The destination goes upstream as the client named it (a name unresolved, so the exit resolves
 * it in its own network); {@code addresses} (already checked by the destination policy) are not
 * used to connect. See {@link ExitRoute}.
 *
 * <p>Failures are {@link ExitFailureException}s: {@link FailureKind#EXIT_UNREACHABLE} when the
 * proxy cannot be reached or breaks the handshake (a timeout before the CONNECT request was sent
 * counts here too), {@link FailureKind#EXIT_AUTH} when it refuses the credentials, the destination
 * kinds the proxy reports otherwise, {@link FailureKind#TIMEOUT} when the CONNECT reply does not
 * come in time.
 */
public abstract class UpstreamConnector implements Connector {

  private final Class<? extends SocketChannel> channelClass;
  private final Function<String, CompletionStage<List<InetAddress>>> resolver;

  /**
   * @param resolver looks up the proxy's host name when it is not an IP literal; completes off the
   *     event loop
   */
  protected UpstreamConnector(
      Class<? extends SocketChannel> channelClass,
      Function<String, CompletionStage<List<InetAddress>>> resolver) {
    this.channelClass = channelClass;
    this.resolver = resolver;
  }

  protected abstract String proxyHost(ExitRoute route);

  protected abstract int proxyPort(ExitRoute route);

  /** The handler that talks to the proxy on a connected channel. */
  protected abstract UpstreamHandshake handshake(
      ExitRoute route, Destination destination, Attempt attempt);

  /** Creates the handshake handler for one attempt. */
  @FunctionalInterface
  protected interface HandshakeFactory {
    UpstreamHandshake create(ExitRoute route, Destination destination, Attempt attempt);
  }

  @Override
  public final Future<Channel> connect(
      ExitRoute route,
      List<InetAddress> addresses,
      Destination destination,
      EventLoop loop,
      Duration timeout) {
    return open(route, destination, loop, timeout, this::handshake);
  }

  /**
   * Connects to the proxy and runs the handshake {@code factory} makes, all within {@code timeout}.
   */
  protected final Future<Channel> open(
      ExitRoute route,
      Destination destination,
      EventLoop loop,
      Duration timeout,
      HandshakeFactory factory) {
    Attempt attempt = new Attempt(route.id(), loop.newPromise());
    long deadline = System.nanoTime() + timeout.toNanos();
    ScheduledFuture<?> timer =
        loop.schedule(attempt::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
    attempt.promise.addListener(f -> {
      timer.cancel(false);
      if (!f.isSuccess() && attempt.channel != null) {
        attempt.channel.close();
      }
    });
    String host = proxyHost(route);
    int port = proxyPort(route);
    InetAddress literal = literal(host);
    if (literal != null) {
      attempt(
          route, destination, List.of(literal), 0, port, loop, deadline, attempt, null, factory);
    } else {
      CompletionStage<List<InetAddress>> lookup;
      try {
        lookup = resolver.apply(host);
      } catch (RuntimeException e) {
        lookup = java.util.concurrent.CompletableFuture.failedFuture(e);
      }
      lookup.whenComplete((list, error) ->
          loop.execute(() -> {
            if (attempt.promise.isDone()) {
              return;
            }
            if (error != null || list == null || list.isEmpty()) {
              attempt.fail(
                  new ExitFailureException(
                      FailureKind.EXIT_UNREACHABLE,
                      "exit " + route.id() + ": cannot resolve upstream host " + host,
                      error != null ? error : new UnknownHostException(host)));
            } else {
              attempt(route, destination, list, 0, port, loop, deadline, attempt, null, factory);
            }
          }));
    }
    return attempt.promise;
  }

  private static InetAddress literal(String host) {
    String h =
        host.length() > 2 && host.startsWith("[") && host.endsWith("]")
            ? host.substring(1, host.length() - 1)
            : host;
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(h);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private void attempt(
      ExitRoute route,
      Destination destination,
      List<InetAddress> proxies,
      int index,
      int port,
      EventLoop loop,
      long deadline,
      Attempt attempt,
      Throwable last,
      HandshakeFactory factory) {
    if (attempt.promise.isDone()) {
      return;
    }
    long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
    if (index >= proxies.size() || remainingMs <= 0) {
      Throwable cause = last != null ? last : new ConnectTimeoutException("connect timed out");
      attempt.fail(
          new ExitFailureException(
              FailureKind.EXIT_UNREACHABLE,
              "exit "
                  + route.id()
                  + ": upstream "
                  + proxyHost(route)
                  + ":"
                  + port
                  + " unreachable: "
                  + cause,
              cause));
      return;
    }
    ChannelFuture f =
        new Bootstrap()
            .group(loop)
            .channel(channelClass)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, remainingMs))
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.AUTO_READ, false)
            // TCP_NODELAY is on from the socket's creation (Netty's default)
            .handler(new ChannelInboundHandlerAdapter())
            .connect(new InetSocketAddress(proxies.get(index), port));
    f.addListener(done -> {
      if (!done.isSuccess()) {
        attempt(
            route,
            destination,
            proxies,
            index + 1,
            port,
            loop,
            deadline,
            attempt,
            done.cause(),
            factory);
        return;
      }
      Channel ch = f.channel();
      if (attempt.promise.isDone()) {
        ch.close();
        return;
      }
      attempt.channel = ch;
      ch.pipeline().addLast(UpstreamHandshake.NAME, factory.create(route, destination, attempt));
    });
  }

  /** State of one connect through an exit; event-loop confined. */
  public static final class Attempt {

    final String exitId;
    final Promise<Channel> promise;
    Channel channel;

    /** Whether the CONNECT request has gone out (a later timeout is the destination's). */
    boolean requestSent;

    Attempt(String exitId, Promise<Channel> promise) {
      this.exitId = exitId;
      this.promise = promise;
    }

    /** Fails the attempt; an {@link ExitFailureException} gets the attempt's progress recorded. */
    void fail(Throwable t) {
      if (t instanceof ExitFailureException x) {
        t =
            x.at(
                channel == null
                    ? ExitFailureException.Progress.NOT_CONNECTED
                    : requestSent
                        ? ExitFailureException.Progress.REQUEST_SENT
                        : ExitFailureException.Progress.CONNECTED);
      }
      promise.tryFailure(t);
    }

    void timedOut() {
      if (requestSent) {
        fail(
            new ExitFailureException(
                FailureKind.TIMEOUT,
                "exit " + exitId + ": no CONNECT reply from the upstream in time",
                new ConnectTimeoutException()));
      } else {
        fail(
            new ExitFailureException(
                FailureKind.EXIT_UNREACHABLE,
                "exit " + exitId + ": upstream not reached in time",
                new ConnectTimeoutException()));
      }
    }
  }
}
