package io.sluice.engine.socks5;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.sluice.engine.exit.Connector;
import io.sluice.engine.exit.FailureKind;
import io.sluice.engine.exit.Socks5UpstreamConnector;
import io.sluice.engine.session.Admission;
import io.sluice.engine.session.ProxySession;
import io.sluice.engine.session.UserAllowance;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.wire.Socks5Reply;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * CMD X'03' UDP ASSOCIATE through an upstream SOCKS5 exit: opens a UDP association with the
 * upstream (its own TCP control connection, {@link Socks5UpstreamConnector#udpAssociate}), binds a
 * client-facing relay socket (replied as BND.ADDR/BND.PORT) and an upstream-facing socket, and
 * relays datagrams between them with {@link UpstreamUdpRelay} (destination policy on every client
 * datagram). The client's control connection, the upstream control connection and both sockets live
 * and die together; {@code udpIdleTimeout} applies as for direct associations. One attempt, no
 * failover to another exit: a failure replies the REP of the failure (X'01' when the upstream
 * cannot be reached or refuses the credentials).
 */
final class Socks5UpstreamUdpCommand {

  private static final Logger LOG = System.getLogger(Socks5UpstreamUdpCommand.class.getName());
  private static final String PROTOCOL = "socks5-udp";

  private final Socks5CommandContext cc;
  private final ExitRoute.Socks5Upstream route;
  private UserAllowance allowance;

  Socks5UpstreamUdpCommand(Socks5CommandContext cc, ExitRoute.Socks5Upstream route) {
    this.cc = cc;
    this.route = route;
  }

  void run() {
    Admission admission = cc.engine().limiter().admit(cc.principal());
    if (admission instanceof Admission.Refused r) {
      cc.fail(Socks5Reply.NOT_ALLOWED, r.reason());
      return;
    }
    allowance = ((Admission.Admitted) admission).allowance();
    Connector connector = cc.engine().connectors().forRoute(route);
    if (!(connector instanceof Socks5UpstreamConnector s5)) {
      allowance.release();
      LOG.log(Level.WARNING, "[{0}] no SOCKS5 connector for exit {1}", cc.id(), route.id());
      cc.fail(Socks5Reply.FAILURE, "no-connector");
      return;
    }
    long started = System.nanoTime();
    s5.udpAssociate(route, cc.client().eventLoop(), cc.engine().config().connectTimeout())
        .addListener(f -> onAssociated(f, System.nanoTime() - started));
  }

  private void report(boolean success, long nanos) {
    try {
      cc.engine().exitSelector().report(route, success, nanos);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "exit selector report failed: {0}", e.toString());
    }
  }

  private void onAssociated(Future<?> f, long nanos) {
    if (!f.isSuccess()) {
      allowance.release();
      report(false, nanos);
      FailureKind kind = FailureKind.ofConnectError(f.cause());
      cc.engine().events().connect(PROTOCOL, kind.name().toLowerCase(Locale.ROOT), nanos);
      LOG.log(
          Level.INFO,
          "[{0}] UDP ASSOCIATE via {1} failed: {2}",
          cc.id(),
          route.id(),
          String.valueOf(f.cause()));
      if (cc.client().isActive()) {
        cc.fail(Socks5Replies.replyFor(kind), kind.name().toLowerCase(Locale.ROOT));
      }
      return;
    }
    Channel control = (Channel) f.getNow();
    report(true, nanos);
    cc.engine().events().connect(PROTOCOL, "ok", nanos);
    cc.engine().track(control);
    if (!cc.client().isActive()) {
      allowance.release();
      control.close();
      return;
    }
    InetSocketAddress upstreamRelay = control.attr(Socks5UpstreamConnector.UDP_RELAY).get();
    control.pipeline().addLast(new UdpControlHandler(cc.id()));
    control.config().setAutoRead(true);
    InetAddress local = ((InetSocketAddress) cc.client().localAddress()).getAddress();
    InetAddress clientIp = ((InetSocketAddress) cc.client().remoteAddress()).getAddress();
    UpstreamUdpRelay relay =
        new UpstreamUdpRelay(
            cc.engine(), cc.principal(), cc.id(), clientIp, cc.request().port(), upstreamRelay);
    long idleMs = cc.engine().config().udpIdleTimeout().toMillis();
    ChannelFuture clientSide =
        bind(
            new InetSocketAddress(local, 0),
            new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS),
            relay.clientHandler());
    InetAddress any = upstreamRelay.getAddress() instanceof Inet4Address ? anyV4() : anyV6();
    ChannelFuture upstreamSide = bind(new InetSocketAddress(any, 0), relay.upstreamHandler());
    clientSide.addListener(x ->
        upstreamSide.addListener(y -> {
          if (!clientSide.isSuccess() || !upstreamSide.isSuccess()) {
            allowance.release();
            Throwable cause =
                clientSide.cause() != null ? clientSide.cause() : upstreamSide.cause();
            LOG.log(
                Level.WARNING,
                "[{0}] UDP ASSOCIATE could not bind: {1}",
                cc.id(),
                String.valueOf(cause));
            clientSide.channel().close();
            upstreamSide.channel().close();
            control.close();
            cc.fail(Socks5Reply.FAILURE, "udp-bind-failed");
            return;
          }
          start(control, clientSide.channel(), upstreamSide.channel(), relay);
        }));
  }

  private ChannelFuture bind(InetSocketAddress address, ChannelHandler... handlers) {
    return new Bootstrap()
        .group(cc.client().eventLoop())
        .channel(cc.engine().transport().datagramChannel())
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline().addLast(handlers);
              }
            })
        .bind(address);
  }

  private void start(
      Channel control, Channel udpClient, Channel udpUpstream, UpstreamUdpRelay relay) {
    cc.engine().track(udpClient);
    cc.engine().track(udpUpstream);
    Channel client = cc.client();
    ProxySession session =
        new ProxySession(
            cc.engine().nextId('s'),
            cc.principal(),
            cc.info(),
            PROTOCOL,
            cc.destination(),
            route,
            allowance,
            cc.engine().events());
    cc.engine().registry().register(session);
    for (Channel c : new Channel[] {client, control, udpClient, udpUpstream}) {
      session.attach(c);
    }
    for (Channel c : new Channel[] {client, control, udpClient, udpUpstream}) {
      c.closeFuture()
          .addListener(x -> {
            client.close();
            control.close();
            udpClient.close();
            udpUpstream.close();
          });
    }
    if (!client.isActive() || !control.isActive()) {
      client.close();
      return;
    }
    relay.start(session, udpClient, udpUpstream);
    cc.succeed(
        Socks5Replies.reply(
            client.alloc(), Socks5Reply.SUCCEEDED, (InetSocketAddress) udpClient.localAddress()));
    client.pipeline().addLast(new UdpControlHandler(cc.id()));
    cc.removeDecoder();
    client.config().setAutoRead(true);
    if (LOG.isLoggable(Level.DEBUG)) {
      LOG.log(
          Level.DEBUG,
          "[{0}] UDP association {1} relaying on {2} via exit {3} ({4})",
          cc.id(),
          session.id(),
          udpClient.localAddress(),
          route.id(),
          upstreamRelay(control));
    }
  }

  private static InetSocketAddress upstreamRelay(Channel control) {
    return control.attr(Socks5UpstreamConnector.UDP_RELAY).get();
  }

  private static InetAddress anyV4() {
    try {
      return InetAddress.getByAddress(new byte[4]);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InetAddress anyV6() {
    try {
      return InetAddress.getByAddress(new byte[16]);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
