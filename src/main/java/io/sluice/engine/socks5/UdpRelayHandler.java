package io.sluice.engine.socks5;

import io.github.bucket4j.Bucket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
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
 * The UDP relay socket of one association, RFC 1928 section 7. Client datagrams carry the header of
 * {@link Socks5UdpCodec} and DATA; FRAG other than X'00' is dropped (fragmentation is not
 * implemented), as are short or invalid headers. A domain DST.ADDR is resolved once per association
 * (bounded cache); the destination policy is asked about every datagram. Datagrams from remotes are
 * relayed back (with the header, DST = the remote) only from addresses the client has sent to.
 * Event-loop confined.
 */
final class UdpRelayHandler extends SimpleChannelInboundHandler<DatagramPacket> {

  private static final Logger LOG = System.getLogger(UdpRelayHandler.class.getName());
  private static final int MAX_NAMES = 64;
  private static final int MAX_REMOTES = 1024;
  private static final int MAX_PENDING_LOOKUPS = 16;

  private final EngineContext engine;
  private final ProxyPrincipal principal;
  private final String connectionId;
  private final InetAddress clientIp;
  private int clientPort;
  private ProxySession session;
  private ReadGate gate;
  private int pendingLookups;
  private final Map<String, List<InetAddress>> names = lru(MAX_NAMES);
  private final Map<InetSocketAddress, Boolean> remotes = lru(MAX_REMOTES);

  UdpRelayHandler(
      EngineContext engine,
      ProxyPrincipal principal,
      String connectionId,
      InetAddress clientIp,
      int clientPort) {
    this.engine = engine;
    this.principal = principal;
    this.connectionId = connectionId;
    this.clientIp = clientIp;
    this.clientPort = clientPort;
  }

  private static <K, V> Map<K, V> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }

  void start(ProxySession session, io.netty.channel.Channel udp) {
    this.session = session;
    this.gate = new ReadGate(udp, 0);
  }

  /**
   * Shapes UDP by the user's buckets: a datagram that puts the bucket in debt pauses reading of the
   * relay socket until the debt is paid (datagrams wait in the socket buffer; the kernel drops what
   * does not fit, as for any UDP receiver).
   */
  private void shape(ChannelHandlerContext ctx, Bucket bucket, int n) {
    if (bucket == null || n <= 0) {
      return;
    }
    long wait = bucket.consumeIgnoringRateLimits(n);
    if (wait > 0) {
      gate.pause(ReadGate.SHAPER);
      ctx.executor().schedule(() -> gate.resume(ReadGate.SHAPER), wait, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    if (session == null) {
      return;
    }
    InetSocketAddress sender = packet.sender();
    if (sender.getAddress().equals(clientIp)
        && (clientPort == 0 || sender.getPort() == clientPort)) {
      fromClient(ctx, packet);
    } else if (remotes.containsKey(sender)) {
      fromRemote(ctx, packet);
    } else {
      drop("unknown sender " + sender);
    }
  }

  private void fromClient(ChannelHandlerContext ctx, DatagramPacket packet) {
    ByteBuf in = packet.content();
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
    String host = header.host();
    if (io.sluice.engine.net.HostNames.isAmbiguousIpv4Literal(host)) {
      drop(DestinationGate.AMBIGUOUS_IPV4 + " " + host);
      return;
    }
    List<InetAddress> cached = names.get(host);
    if (cached != null) {
      sendChecked(ctx, cached, port, in.retainedSlice());
      return;
    }
    if (pendingLookups >= MAX_PENDING_LOOKUPS) {
      drop("too many pending lookups");
      return;
    }
    pendingLookups++;
    ByteBuf payload = in.retainedSlice();
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
                    payload.release();
                    drop("cannot resolve " + host);
                    return;
                  }
                  names.put(host, addresses);
                  sendChecked(ctx, addresses, port, payload);
                }));
  }

  private void sendChecked(
      ChannelHandlerContext ctx, List<InetAddress> addresses, int port, ByteBuf payload) {
    GateResult result = engine.gate().checkAll(principal, addresses, port);
    if (!(result instanceof GateResult.Allowed)) {
      payload.release();
      drop("denied " + addresses + " port " + port);
      return;
    }
    InetSocketAddress target = new InetSocketAddress(addresses.get(0), port);
    remotes.put(target, Boolean.TRUE);
    int n = payload.readableBytes();
    session.addUp(n);
    ctx.writeAndFlush(new DatagramPacket(payload, target));
    shape(ctx, session.allowance().up(), n);
  }

  private void fromRemote(ChannelHandlerContext ctx, DatagramPacket packet) {
    if (clientPort == 0) {
      drop("client port unknown");
      return;
    }
    InetSocketAddress sender = packet.sender();
    ByteBuf data = packet.content();
    int n = data.readableBytes();
    session.addDown(n);
    ByteBuf header = ctx.alloc().buffer(22);
    Socks5UdpCodec.encode(header, sender.getAddress(), sender.getPort());
    CompositeByteBuf out = ctx.alloc().compositeBuffer(2);
    out.addComponents(true, header, data.retain());
    ctx.writeAndFlush(new DatagramPacket(out, new InetSocketAddress(clientIp, clientPort)));
    shape(ctx, session.allowance().down(), n);
  }

  private void drop(String why) {
    if (LOG.isLoggable(Level.DEBUG)) {
      LOG.log(Level.DEBUG, "[{0}] UDP datagram dropped: {1}", connectionId, why);
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
