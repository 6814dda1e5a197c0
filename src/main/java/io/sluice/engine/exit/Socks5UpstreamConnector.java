package io.sluice.engine.exit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.wire.Socks5Reply;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@link ExitRoute.Socks5Upstream}: the client side of RFC 1928 CONNECT against an upstream SOCKS5
 * server, with RFC 1929 username/password authentication when the route has credentials (methods
 * offered: X'00' and X'02'; without credentials only X'00').
 *
 * <p><b>Remote resolution.</b> The engine has already resolved the destination locally, once, and
 * the destination policy has checked every address (so the open-proxy guard holds for upstream
 * exits too). The CONNECT request nevertheless carries the destination as the client named it: a
 * domain name as ATYP X'03' (unresolved), so that the exit resolves it in its own network and
 * provider-side geo DNS keeps working; an IP literal as ATYP X'01'/X'04'.
 *
 * <p>Upstream REP codes map to {@link FailureKind}s so the client sees the same REP (X'02' denied,
 * X'03' network unreachable, X'04' host unreachable, X'05' refused, X'06' timed out (sent to
 * clients as host unreachable), anything else general failure). Method X'FF' or an RFC 1929 status
 * other than zero is {@link FailureKind#EXIT_AUTH}.
 */
public final class Socks5UpstreamConnector extends UpstreamConnector {

  public Socks5UpstreamConnector(
      Class<? extends SocketChannel> channelClass,
      Function<String, CompletionStage<List<InetAddress>>> resolver) {
    super(channelClass, resolver);
  }

  @Override
  protected String proxyHost(ExitRoute route) {
    return ((ExitRoute.Socks5Upstream) route).host();
  }

  @Override
  protected int proxyPort(ExitRoute route) {
    return ((ExitRoute.Socks5Upstream) route).port();
  }

  /**
   * The upstream's UDP relay address (BND.ADDR/BND.PORT of its UDP ASSOCIATE reply; an unspecified
   * BND.ADDR is replaced by the control connection's remote address). Set on the control channel
   * returned by {@link #udpAssociate}.
   */
  public static final AttributeKey<InetSocketAddress> UDP_RELAY =
      AttributeKey.valueOf("sluice.exit.udpRelay");

  @Override
  protected UpstreamHandshake handshake(ExitRoute route, Destination destination, Attempt attempt) {
    return new Handshake((ExitRoute.Socks5Upstream) route, destination, attempt, 0x01);
  }

  /**
   * Opens a UDP association with the upstream (RFC 1928 CMD X'03', DST 0.0.0.0:0 since the sending
   * port is not known in advance). The returned channel is the association's TCP control connection
   * ({@code autoRead} off, empty pipeline); the association lives as long as it does. Its {@link
   * #UDP_RELAY} attribute is where to send datagrams.
   */
  public Future<Channel> udpAssociate(
      ExitRoute.Socks5Upstream route, EventLoop loop, Duration timeout) {
    return open(
        route,
        new Destination("0.0.0.0", 0),
        loop,
        timeout,
        (r, d, a) -> new Handshake((ExitRoute.Socks5Upstream) r, d, a, 0x03));
  }

  /** Maps an upstream REP (not X'00') to the failure the client is told about. */
  static FailureKind kindOfRep(Socks5Reply rep) {
    return switch (rep.code()) {
      case 0x02 -> FailureKind.DENIED;
      case 0x03 -> FailureKind.NETWORK_UNREACHABLE;
      case 0x04 -> FailureKind.HOST_UNREACHABLE;
      case 0x05 -> FailureKind.REFUSED;
      case 0x06 -> FailureKind.TIMEOUT;
      default -> FailureKind.GENERAL;
    };
  }

  /** {@link #kindOfRep(Socks5Reply)} of a REP octet's unsigned value. */
  static FailureKind kindOfRep(int rep) {
    return kindOfRep(Socks5Reply.valueOf((byte) rep));
  }

  /**
   * Writes a CONNECT request for {@code destination}: ATYP X'03' for a name, the IP for a literal.
   */
  static void writeRequest(ByteBuf out, int cmd, Destination destination) {
    out.writeByte(5).writeByte(cmd).writeByte(0);
    String host = destination.host();
    String h =
        host.length() > 2 && host.startsWith("[") && host.endsWith("]")
            ? host.substring(1, host.length() - 1)
            : host;
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(h);
    if (ip != null) {
      out.writeByte(ip.length == 4 ? 0x01 : 0x04).writeBytes(ip);
    } else {
      byte[] name = h.getBytes(StandardCharsets.US_ASCII);
      if (name.length > 255) {
        throw new IllegalArgumentException("name too long");
      }
      out.writeByte(0x03).writeByte(name.length).writeBytes(name);
    }
    out.writeShort(destination.port());
  }

  private static final class Handshake extends UpstreamHandshake {

    private enum Step {
      METHOD,
      AUTH,
      REPLY
    }

    private final ExitRoute.Socks5Upstream route;
    private final Destination destination;
    private final int cmd;
    private Step step = Step.METHOD;

    Handshake(ExitRoute.Socks5Upstream route, Destination destination, Attempt attempt, int cmd) {
      super(attempt);
      this.route = route;
      this.destination = destination;
      this.cmd = cmd;
    }

    @Override
    protected void start(ChannelHandlerContext ctx) {
      ByteBuf b = ctx.alloc().buffer(4);
      if (route.hasCredentials()) {
        b.writeByte(5).writeByte(2).writeByte(0x00).writeByte(0x02);
      } else {
        b.writeByte(5).writeByte(1).writeByte(0x00);
      }
      ctx.writeAndFlush(b).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    @Override
    protected boolean process(ChannelHandlerContext ctx, ByteBuf in) throws ExitFailureException {
      while (true) {
        switch (step) {
          case METHOD -> {
            if (in.readableBytes() < 2) {
              return false;
            }
            int ver = in.readUnsignedByte();
            int method = in.readUnsignedByte();
            if (ver != 5) {
              throw new ExitFailureException(
                  FailureKind.EXIT_UNREACHABLE,
                  "exit " + exitId() + ": upstream is not a SOCKS5 server (VER " + ver + ")");
            }
            if (method == 0x00) {
              sendRequest(ctx);
            } else if (method == 0x02 && route.hasCredentials()) {
              sendLogin(ctx);
              step = Step.AUTH;
            } else if (method == 0xFF) {
              throw new ExitFailureException(
                  FailureKind.EXIT_AUTH,
                  "exit "
                      + exitId()
                      + ": upstream accepts none of the offered methods"
                      + (route.hasCredentials() ? "" : " (no credentials)"));
            } else {
              throw new ExitFailureException(
                  FailureKind.EXIT_UNREACHABLE,
                  "exit " + exitId() + ": upstream chose an unoffered method " + method);
            }
          }
          case AUTH -> {
            if (in.readableBytes() < 2) {
              return false;
            }
            in.skipBytes(1);
            int status = in.readUnsignedByte();
            if (status != 0) {
              throw new ExitFailureException(
                  FailureKind.EXIT_AUTH,
                  "exit "
                      + exitId()
                      + ": upstream refused the exit's credentials (user "
                      + route.username()
                      + ")");
            }
            sendRequest(ctx);
          }
          case REPLY -> {
            if (in.readableBytes() < 5) {
              return false;
            }
            int r = in.readerIndex();
            int ver = in.getUnsignedByte(r);
            Socks5Reply rep = Socks5Reply.valueOf(in.getByte(r + 1));
            int atyp = in.getUnsignedByte(r + 3);
            if (ver != 5) {
              throw new ExitFailureException(
                  FailureKind.EXIT_UNREACHABLE, "exit " + exitId() + ": bad reply VER " + ver);
            }
            if (!rep.isSuccess()) {
              throw new ExitFailureException(
                  kindOfRep(rep),
                  "exit "
                      + exitId()
                      + ": upstream replied REP "
                      + rep.code()
                      + " for "
                      + destination,
                  rep.code());
            }
            int length =
                switch (atyp) {
                  case 0x01 -> 4 + 4 + 2;
                  case 0x04 -> 4 + 16 + 2;
                  case 0x03 -> 4 + 1 + in.getUnsignedByte(r + 4) + 2;
                  default ->
                      throw new ExitFailureException(
                          FailureKind.EXIT_UNREACHABLE,
                          "exit " + exitId() + ": bad reply ATYP " + atyp);
                };
            if (in.readableBytes() < length) {
              return false;
            }
            if (cmd == 0x03) {
              if (atyp == 0x03) {
                throw new ExitFailureException(
                    FailureKind.EXIT_UNREACHABLE,
                    "exit " + exitId() + ": UDP relay given by name is not supported");
              }
              byte[] a = new byte[atyp == 0x01 ? 4 : 16];
              in.getBytes(r + 4, a);
              int port = in.getUnsignedShort(r + 4 + a.length);
              InetAddress bnd;
              try {
                bnd = InetAddress.getByAddress(a);
              } catch (java.net.UnknownHostException e) {
                throw new ExitFailureException(
                    FailureKind.EXIT_UNREACHABLE, "exit " + exitId() + ": bad BND.ADDR");
              }
              if (bnd.isAnyLocalAddress()) {
                bnd = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
              }
              ctx.channel().attr(UDP_RELAY).set(new InetSocketAddress(bnd, port));
            }
            in.skipBytes(length);
            return true;
          }
          default -> throw new IllegalStateException();
        }
      }
    }

    private void sendLogin(ChannelHandlerContext ctx) {
      byte[] u = route.username().getBytes(StandardCharsets.UTF_8);
      byte[] p =
          route.password() == null
              ? new byte[0]
              : route.password().getBytes(StandardCharsets.UTF_8);
      ByteBuf b = ctx.alloc().buffer(3 + u.length + p.length);
      b.writeByte(1).writeByte(u.length).writeBytes(u).writeByte(p.length).writeBytes(p);
      java.util.Arrays.fill(p, (byte) 0);
      ctx.writeAndFlush(b).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    private void sendRequest(ChannelHandlerContext ctx) {
      ByteBuf b = ctx.alloc().buffer(7 + 255);
      writeRequest(b, cmd, destination);
      requestSent();
      step = Step.REPLY;
      ctx.writeAndFlush(b).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }
  }
}
