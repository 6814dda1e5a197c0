package io.sluice.engine.socks5;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.engine.net.GateResult;
import io.sluice.engine.relay.Relay;
import io.sluice.engine.session.Admission;
import io.sluice.engine.session.ProxySession;
import io.sluice.engine.session.UserAllowance;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.wire.Socks5Reply;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CMD X'02' BIND, RFC 1928 section 4: opens a second listening socket on the same local address as
 * the control connection and sends the first reply with its BND.ADDR/BND.PORT. The peer that
 * connects must come from an address DST.ADDR resolved to (any address when DST.ADDR is
 * unspecified, 0.0.0.0 or ::) and pass the destination policy; other peers are closed and the wait
 * goes on. The second reply carries the peer's address and port, then the control connection and
 * the peer are relayed. No peer within {@code bindAcceptTimeout}: REP X'06' (TTL expired, used here
 * as "timed out") and close.
 *
 * <p>Only direct: when the exit selector picks an upstream exit the request is refused with REP
 * X'07' (command not supported), never silently served directly.
 */
final class Socks5BindCommand {

  private static final Logger LOG = System.getLogger(Socks5BindCommand.class.getName());

  private final Socks5CommandContext cc;
  private ExitRoute.Direct route;
  private UserAllowance allowance;
  private List<InetAddress> expected;
  private Channel server;
  private ScheduledFuture<?> timer;
  private boolean finished;

  Socks5BindCommand(Socks5CommandContext cc) {
    this.cc = cc;
  }

  void run() {
    route = cc.directRouteOrFail("BIND");
    if (route == null) {
      return;
    }
    Admission admission = cc.engine().limiter().admit(cc.principal());
    if (admission instanceof Admission.Refused r) {
      cc.fail(Socks5Reply.NOT_ALLOWED, r.reason());
      return;
    }
    allowance = ((Admission.Admitted) admission).allowance();
    EventLoop loop = cc.client().eventLoop();
    cc.engine()
        .gate()
        .admit(cc.principal(), cc.request().host(), cc.request().port())
        .whenComplete((result, error) -> loop.execute(() -> afterGate(result, error)));
  }

  private void afterGate(GateResult result, Throwable error) {
    if (!cc.client().isActive()) {
      allowance.release();
      return;
    }
    if (error != null || result instanceof GateResult.Unresolvable) {
      allowance.release();
      cc.fail(Socks5Reply.HOST_UNREACHABLE, "unresolvable");
      return;
    }
    if (result instanceof GateResult.Denied || result instanceof GateResult.Refused) {
      allowance.release();
      cc.fail(Socks5Reply.NOT_ALLOWED, "denied");
      return;
    }
    List<InetAddress> addresses = ((GateResult.Allowed) result).addresses();
    expected =
        addresses.size() == 1 && addresses.get(0).isAnyLocalAddress() ? List.of() : addresses;
    InetAddress local = ((InetSocketAddress) cc.client().localAddress()).getAddress();
    EventLoop loop = cc.client().eventLoop();
    new ServerBootstrap()
        .group(loop)
        .channel(cc.engine().transport().serverChannel())
        .option(ChannelOption.ALLOCATOR, io.sluice.engine.net.Transport.ALLOCATOR)
        .childOption(ChannelOption.ALLOCATOR, io.sluice.engine.net.Transport.ALLOCATOR)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childHandler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel peer) {
                onPeer(peer);
              }
            })
        .bind(new InetSocketAddress(local, 0))
        .addListener(f -> onBound((io.netty.channel.ChannelFuture) f));
  }

  private void onBound(io.netty.channel.ChannelFuture f) {
    if (!f.isSuccess()) {
      allowance.release();
      LOG.log(
          Level.WARNING, "[{0}] BIND could not listen: {1}", cc.id(), String.valueOf(f.cause()));
      cc.fail(Socks5Reply.FAILURE, "bind-failed");
      return;
    }
    server = f.channel();
    cc.engine().track(server);
    if (!cc.client().isActive()) {
      giveUp();
      return;
    }
    cc.client().closeFuture().addListener(x -> giveUp());
    // the handshake is over for the client; the wait for the peer has its own timeout
    io.sluice.engine.core.HandshakeTimeout.finish(cc.client());
    cc.client()
        .writeAndFlush(
            Socks5Replies.reply(
                cc.client().alloc(),
                Socks5Reply.SUCCEEDED,
                (InetSocketAddress) server.localAddress()));
    timer =
        cc.client()
            .eventLoop()
            .schedule(
                () -> {
                  if (!finished) {
                    // Reply once the listening socket's close has completed, so the port is
                    // released by
                    // the time (or, with NIO's deferred descriptor close, right after) the client
                    // reads REP X'06'.
                    io.netty.channel.ChannelFuture closed = giveUp();
                    closed.addListener(x ->
                        cc.client()
                            .eventLoop()
                            .execute(() -> cc.fail(Socks5Reply.TTL_EXPIRED, "bind-timeout")));
                  }
                },
                cc.engine().config().bindAcceptTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    if (LOG.isLoggable(Level.DEBUG)) {
      LOG.log(Level.DEBUG, "[{0}] BIND listening on {1}", cc.id(), server.localAddress());
    }
  }

  /** Stops waiting for the peer; returns the closing of the listening socket. */
  private io.netty.channel.ChannelFuture giveUp() {
    if (!finished) {
      finished = true;
      allowance.release();
      if (server != null) {
        return server.close();
      }
    }
    return cc.client().newSucceededFuture();
  }

  private void onPeer(Channel peer) {
    InetSocketAddress remote = (InetSocketAddress) peer.remoteAddress();
    if (finished || !cc.client().isActive()) {
      peer.close();
      return;
    }
    if (!expected.isEmpty() && !expected.contains(remote.getAddress())) {
      LOG.log(
          Level.INFO,
          "[{0}] BIND peer {1} is not the expected {2}; closed",
          cc.id(),
          remote,
          expected);
      peer.close();
      return;
    }
    if (!cc.engine()
        .gate()
        .check(cc.principal(), remote.getAddress(), remote.getPort())
        .allowed()) {
      LOG.log(Level.INFO, "[{0}] BIND peer {1} denied by policy; closed", cc.id(), remote);
      peer.close();
      return;
    }
    finished = true;
    timer.cancel(false);
    server.close();
    cc.engine().track(peer);
    ProxySession session =
        new ProxySession(
            cc.engine().nextId('s'),
            cc.principal(),
            cc.info(),
            "socks5-bind",
            cc.destination(),
            route,
            allowance,
            cc.engine().events());
    cc.engine().registry().register(session);
    session.attach(cc.client());
    session.attach(peer);
    cc.succeed(Socks5Replies.reply(cc.client().alloc(), Socks5Reply.SUCCEEDED, remote));
    Relay.start(session, cc.client(), peer, cc.engine().config());
    cc.removeDecoder();
  }
}
