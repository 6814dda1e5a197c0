package io.sluice.engine.exit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.NetUtil;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@link ExitRoute.HttpUpstream}: {@code CONNECT host:port HTTP/1.1} to an upstream HTTP proxy,
 * with {@code Proxy-Authorization: Basic} when the route has credentials. The destination goes
 * upstream as the client named it (a domain name unresolved; see {@link ExitRoute} on remote
 * resolution and the destination policy). Any 2xx is success; bytes after the response head belong
 * to the tunnel.
 *
 * <p>Non-2xx responses: 407 is {@link FailureKind#EXIT_AUTH}; 403 {@link FailureKind#DENIED}; 502
 * and 503 {@link FailureKind#HOST_UNREACHABLE}; 504 {@link FailureKind#TIMEOUT}; anything else
 * {@link FailureKind#GENERAL}. A response that is not HTTP/1.x is {@link
 * FailureKind#EXIT_UNREACHABLE}.
 */
public final class HttpUpstreamConnector extends UpstreamConnector {

  public HttpUpstreamConnector(
      Class<? extends SocketChannel> channelClass,
      Function<String, CompletionStage<List<InetAddress>>> resolver) {
    super(channelClass, resolver);
  }

  @Override
  protected String proxyHost(ExitRoute route) {
    return ((ExitRoute.HttpUpstream) route).host();
  }

  @Override
  protected int proxyPort(ExitRoute route) {
    return ((ExitRoute.HttpUpstream) route).port();
  }

  @Override
  protected UpstreamHandshake handshake(ExitRoute route, Destination destination, Attempt attempt) {
    return new Handshake((ExitRoute.HttpUpstream) route, destination, attempt);
  }

  /** Failure kind of a non-2xx CONNECT response status. */
  static FailureKind kindOfStatus(int status) {
    return switch (status) {
      case 407 -> FailureKind.EXIT_AUTH;
      case 403 -> FailureKind.DENIED;
      case 502, 503 -> FailureKind.HOST_UNREACHABLE;
      case 504 -> FailureKind.TIMEOUT;
      default -> FailureKind.GENERAL;
    };
  }

  /** {@code host:port}, an IPv6 literal in brackets. */
  static String authority(Destination d) {
    String h = d.host();
    if (h.startsWith("[")) {
      return h + ":" + d.port();
    }
    return NetUtil.isValidIpV6Address(h) ? "[" + h + "]:" + d.port() : h + ":" + d.port();
  }

  private static final class Handshake extends UpstreamHandshake {

    private final ExitRoute.HttpUpstream route;
    private final Destination destination;

    Handshake(ExitRoute.HttpUpstream route, Destination destination, Attempt attempt) {
      super(attempt);
      this.route = route;
      this.destination = destination;
    }

    @Override
    protected void start(ChannelHandlerContext ctx) {
      String authority = authority(destination);
      StringBuilder head =
          new StringBuilder(256)
              .append("CONNECT ")
              .append(authority)
              .append(" HTTP/1.1\r\n")
              .append("Host: ")
              .append(authority)
              .append("\r\n");
      if (route.hasCredentials()) {
        String pair = route.username() + ":" + (route.password() == null ? "" : route.password());
        head.append("Proxy-Authorization: Basic ")
            .append(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)))
            .append("\r\n");
      }
      head.append("\r\n");
      requestSent();
      ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), head))
          .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    @Override
    protected boolean process(ChannelHandlerContext ctx, ByteBuf in) throws ExitFailureException {
      int end = endOfHead(in);
      if (end < 0) {
        return false;
      }
      int lineEnd = in.indexOf(in.readerIndex(), end, (byte) '\n');
      String statusLine =
          in.toString(in.readerIndex(), lineEnd - in.readerIndex(), StandardCharsets.ISO_8859_1)
              .trim();
      in.readerIndex(end);
      String[] parts = statusLine.split(" ", 3);
      int status;
      try {
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
          throw new NumberFormatException();
        }
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new ExitFailureException(
            FailureKind.EXIT_UNREACHABLE, "exit " + exitId() + ": upstream is not an HTTP proxy");
      }
      if (status >= 200 && status < 300) {
        return true;
      }
      throw new ExitFailureException(
          kindOfStatus(status),
          "exit " + exitId() + ": upstream answered " + status + " to CONNECT " + destination,
          status);
    }

    /** Index just after the blank line ending the head, or -1. */
    private static int endOfHead(ByteBuf in) {
      int from = in.readerIndex();
      int to = in.writerIndex();
      for (int i = from; i < to; i++) {
        if (in.getByte(i) == '\n') {
          if (i + 1 < to && in.getByte(i + 1) == '\n') {
            return i + 2;
          }
          if (i + 2 < to && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
            return i + 3;
          }
        }
      }
      return -1;
    }
  }
}
