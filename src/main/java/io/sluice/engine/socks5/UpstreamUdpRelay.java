package io.sluice.engine.socks5;

import io.github.bucket4j.Bucket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.core.EngineContext;
import io.sluice.engine.net.DestinationGate;
import io.sluice.engine.net.GateResult;
import io.sluice.engine.session.ProxySession;
import io.sluice.engine.session.ReadGate;
import io.sluice.engine.spi.ProxyPrincipal;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The two UDP sockets of an association through an upstream SOCKS5 exit: one facing the client (its
 * datagrams, RFC 1928 section 7 headers included, go to the upstream's relay once the destination
 * policy allows DST.ADDR), one facing the upstream relay (its datagrams go back to the client
 * unchanged: the upstream has already put the remote's address in the header). The header is passed
 * on as the client wrote it, so a domain DST.ADDR reaches the exit unresolved; locally the name is
 * resolved once per association (bounded cache) only for the policy check. FRAG other than X'00'
 * and malformed headers are dropped. The user's bandwidth buckets shape as on direct associations.
 * Event-loop confined.
 */
final class UpstreamUdpRelay {

  private static final Logger LOG = System.getLogger(UpstreamUdpRelay.class.getName());
  private static final int MAX_NAMES = 64;
  private static final int MAX_PENDING_LOOKUPS = 16;

  private final EngineContext engine;
  private final ProxyPrincipal principal;
  private final String connectionId;
  private final InetAddress clientIp;
  private final InetSocketAddress upstreamRelay;
  private int clientPort;
  private ProxySession session;
  private Channel clientSide;
  private Channel upstreamSide;
  private ReadGate clientGate;
  private ReadGate upstreamGate;
  private int pendingLookups;
  private final Map<String, List<InetAddress>> names =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<InetAddress>> eldest) {
          return size() > MAX_NAMES;
        }
      };

  UpstreamUdpRelay(
      EngineContext engine,
      ProxyPrincipal principal,
      String connectionId,
      InetAddress clientIp,
      int clientPort,
      InetSocketAddress upstreamRelay) {
    this.engine = engine;
    this.principal = principal;
    this.connectionId = connectionId;
    this.clientIp = clientIp;
    this.clientPort = clientPort;
    this.upstreamRelay = upstreamRelay;
  }

  void start(ProxySession session, Channel clientSide, Channel upstreamSide) {
    this.session = session;
    this.clientSide = clientSide;
    this.upstreamSide = upstreamSide;
    this.clientGate = new ReadGate(clientSide, 0);
    this.upstreamGate = new ReadGate(upstreamSide, 0);
  }

  /**
   * Shapes by the user's buckets as the direct relay does: a datagram that puts the bucket in debt
   * pauses reading of the socket it came from until the debt is paid.
   */
  private void shape(Channel from, ReadGate gate, Bucket bucket, int n) {
    if (bucket == null || n <= 0) {
      return;
    }
    long wait = bucket.consumeIgnoringRateLimits(n);
    if (wait > 0) {
      gate.pause(ReadGate.SHAPER);
      from.eventLoop().schedule(() -> gate.resume(ReadGate.SHAPER), wait, TimeUnit.NANOSECONDS);
    }
  }

  /** Handler of the client-facing socket. */
  SimpleChannelInboundHandler<DatagramPacket> clientHandler() {
    return new Side(true);
  }

  /** Handler of the upstream-facing socket. */
  SimpleChannelInboundHandler<DatagramPacket> upstreamHandler() {
    return new Side(false);
  }

  private final class Side extends SimpleChannelInboundHandler<DatagramPacket> {
    private final boolean client;

    Side(boolean client) {
      this.client = client;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      if (session == null) {
        return;
      }
      InetSocketAddress sender = packet.sender();
      if (client) {
        if (sender.getAddress().equals(clientIp)
            && (clientPort == 0 || sender.getPort() == clientPort)) {
          fromClient(ctx, packet);
        } else {
          drop("unknown sender " + sender);
        }
      } else if (sender.equals(upstreamRelay) && clientPort != 0) {
        ByteBuf d = packet.content();
        int h = Socks5UdpCodec.headerLength(d);
        int n = h < 0 ? 0 : d.readableBytes() - h;
        session.addDown(n);
        clientSide.writeAndFlush(
            new DatagramPacket(d.retain(), new InetSocketAddress(clientIp, clientPort)));
        shape(upstreamSide, upstreamGate, session.allowance().down(), n);
      } else {
        drop("not from the upstream relay: " + sender);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        if (LOG.isLoggable(Level.DEBUG)) {
          LOG.log(Level.DEBUG, "[{0}] UDP association idle; closing", connectionId);
        }
        ctx.close();
      }
      ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(
            Level.DEBUG,
            "[{0}] UDP relay error (association kept): {1}",
            connectionId,
            cause.toString());
      }
    }
  }

  private void fromClient(ChannelHandlerContext ctx, DatagramPacket packet) {
    ByteBuf in = packet.content();
    int start = in.readerIndex();
    Socks5UdpCodec.Header header;
    switch (Socks5UdpCodec.decode(in)) {
      case Socks5UdpCodec.Malformed m -> {
        drop(m.reason());
        return;
      }
      case Socks5UdpCodec.Ok ok -> header = ok.header();
    }
    if (header.frag() != 0) {
      drop("FRAG " + header.frag());
      return;
    }
    int port = header.port();
    if (port == 0) {
      drop("DST.PORT 0");
      return;
    }
    if (clientPort == 0) {
      clientPort = packet.sender().getPort();
    }
    int payloadBytes = in.readableBytes();
    ByteBuf whole = in.retainedSlice(start, in.writerIndex() - start);
    String host = header.host();
    if (io.sluice.engine.net.HostNames.isAmbiguousIpv4Literal(host)) {
      whole.release();
      drop(DestinationGate.AMBIGUOUS_IPV4 + " " + host);
      return;
    }
    InetAddress literal = DestinationGate.parseLiteral(host);
    List<InetAddress> known = literal != null ? List.of(literal) : names.get(host);
    if (known != null) {
      sendChecked(known, port, whole, payloadBytes);
      return;
    }
    if (pendingLookups >= MAX_PENDING_LOOKUPS) {
      whole.release();
      drop("too many pending lookups");
      return;
    }
    pendingLookups++;
    engine
        .gate()
        .resolve(host)
        .whenComplete((addresses, error) ->
            ctx.executor()
                .execute(() -> {
                  pendingLookups--;
                  if (error != null
                      || addresses == null
                      || addresses.isEmpty()
                      || !ctx.channel().isActive()) {
                    whole.release();
                    drop("cannot resolve " + host);
                    return;
                  }
                  names.put(host, addresses);
                  sendChecked(addresses, port, whole, payloadBytes);
                }));
  }

  private void sendChecked(List<InetAddress> addresses, int port, ByteBuf whole, int payloadBytes) {
    GateResult result = engine.gate().checkAll(principal, addresses, port);
    if (!(result instanceof GateResult.Allowed) || !upstreamSide.isActive()) {
      whole.release();
      drop("denied " + addresses + " port " + port);
      return;
    }
    session.addUp(payloadBytes);
    upstreamSide.writeAndFlush(new DatagramPacket(whole, upstreamRelay));
    shape(clientSide, clientGate, session.allowance().up(), payloadBytes);
  }

  private void drop(String why) {
    if (LOG.isLoggable(Level.DEBUG)) {
      LOG.log(Level.DEBUG, "[{0}] UDP datagram dropped: {1}", connectionId, why);
    }
  }
}
