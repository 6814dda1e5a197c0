package io.sluice.engine.socks5;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import io.sluice.engine.session.Admission;
import io.sluice.engine.session.ProxySession;
import io.sluice.engine.session.UserAllowance;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.wire.Socks5Reply;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * CMD X'03' UDP ASSOCIATE, RFC 1928 sections 4 and 7: opens a UDP relay socket on the control
 * connection's local address, replies with its BND.ADDR/BND.PORT, and relays datagrams through
 * {@link UdpRelayHandler}. Client datagrams are accepted only from the control connection's IP
 * address, and from DST.PORT when the request gave one (else from the port of the first datagram).
 * The association ends with its control connection, and after {@code udpIdleTimeout} without
 * datagrams.
 *
 * <p>Through an upstream SOCKS5 exit the association is relayed by {@link
 * Socks5UpstreamUdpCommand}; through any other non-direct exit (HTTP) the request is refused with
 * REP X'07' (command not supported), never silently relayed directly.
 */
final class Socks5UdpAssociateCommand {

  private static final Logger LOG = System.getLogger(Socks5UdpAssociateCommand.class.getName());

  private final Socks5CommandContext cc;
  private ExitRoute.Direct route;

  Socks5UdpAssociateCommand(Socks5CommandContext cc) {
    this.cc = cc;
  }

  void run() {
    ExitRoute selected = cc.selectOrFail("UDP ASSOCIATE");
    if (selected == null) {
      return;
    }
    if (selected instanceof ExitRoute.Socks5Upstream upstream) {
      new Socks5UpstreamUdpCommand(cc, upstream).run();
      return;
    }
    if (!(selected instanceof ExitRoute.Direct direct)) {
      cc.refuseThroughExit("UDP ASSOCIATE", selected);
      return;
    }
    route = direct;
    Admission admission = cc.engine().limiter().admit(cc.principal());
    if (admission instanceof Admission.Refused r) {
      cc.fail(Socks5Reply.NOT_ALLOWED, r.reason());
      return;
    }
    UserAllowance allowance = ((Admission.Admitted) admission).allowance();
    InetAddress local = ((InetSocketAddress) cc.client().localAddress()).getAddress();
    InetAddress clientIp = ((InetSocketAddress) cc.client().remoteAddress()).getAddress();
    long idleMs = cc.engine().config().udpIdleTimeout().toMillis();
    UdpRelayHandler relay =
        new UdpRelayHandler(cc.engine(), cc.principal(), cc.id(), clientIp, cc.request().port());
    ChannelFuture bound =
        new Bootstrap()
            .group(cc.client().eventLoop())
            .channel(cc.engine().transport().datagramChannel())
            .option(
                io.netty.channel.ChannelOption.ALLOCATOR, io.sluice.engine.net.Transport.ALLOCATOR)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS), relay);
                  }
                })
            .bind(new InetSocketAddress(local, 0));
    bound.addListener(f -> {
      if (!f.isSuccess()) {
        allowance.release();
        LOG.log(
            Level.WARNING,
            "[{0}] UDP ASSOCIATE could not bind: {1}",
            cc.id(),
            String.valueOf(f.cause()));
        cc.fail(Socks5Reply.FAILURE, "udp-bind-failed");
        return;
      }
      Channel udp = bound.channel();
      cc.engine().track(udp);
      if (!cc.client().isActive()) {
        allowance.release();
        udp.close();
        return;
      }
      ProxySession session =
          new ProxySession(
              cc.engine().nextId('s'),
              cc.principal(),
              cc.info(),
              "socks5-udp",
              cc.destination(),
              route,
              allowance,
              cc.engine().events());
      cc.engine().registry().register(session);
      session.attach(cc.client());
      session.attach(udp);
      relay.start(session, udp);
      cc.client().closeFuture().addListener(x -> udp.close());
      udp.closeFuture().addListener(x -> cc.client().close());
      cc.succeed(
          Socks5Replies.reply(
              cc.client().alloc(), Socks5Reply.SUCCEEDED, (InetSocketAddress) udp.localAddress()));
      cc.client().pipeline().addLast(new UdpControlHandler(cc.id()));
      cc.removeDecoder();
      cc.client().config().setAutoRead(true);
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(
            Level.DEBUG,
            "[{0}] UDP association {1} relaying on {2}",
            cc.id(),
            session.id(),
            udp.localAddress());
      }
    });
  }
}
