package io.sluice.engine.transparent;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.core.EngineContext;
import io.sluice.engine.core.HandshakeTimeout;
import io.sluice.engine.core.Outcome;
import io.sluice.engine.core.SessionEstablisher;
import io.sluice.engine.net.OriginalDestination;
import io.sluice.engine.relay.Relay;
import io.sluice.engine.spi.AuthResult;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ProxyPrincipal;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A connection on a {@link io.sluice.engine.config.ListenerKind#TRANSPARENT} listener. Reading is
 * off from the start; the handler reads the original destination, asks the authenticator about the
 * source address (the host maps a VM's address to its user), then establishes the session through
 * the same {@link SessionEstablisher} as every front end (limits, destination gate, exit selection,
 * usage, revocation) and relays. There is no reply to send: a refused or failed connection is
 * closed (the client sees a reset or end of stream), and counted through {@link
 * io.sluice.engine.spi.EngineEvents#handshake} with protocol {@code transparent} and, for an
 * unknown source, {@link io.sluice.engine.spi.EngineEvents#authFailure}.
 */
public final class TransparentHandler extends ChannelInboundHandlerAdapter {

  public static final String NAME = "transparent";
  static final String PROTOCOL = "transparent";
  private static final Logger LOG = System.getLogger(TransparentHandler.class.getName());

  private final EngineContext engine;
  private final SessionEstablisher establisher;
  private final ConnectionInfo info;
  private final Function<io.netty.channel.Channel, Optional<InetSocketAddress>> originalDst;
  private final long started = System.nanoTime();

  public TransparentHandler(
      EngineContext engine, SessionEstablisher establisher, ConnectionInfo info) {
    this(engine, establisher, info, OriginalDestination::of);
  }

  /** With another way to find the original destination (tests without a firewall). */
  public TransparentHandler(
      EngineContext engine,
      SessionEstablisher establisher,
      ConnectionInfo info,
      Function<io.netty.channel.Channel, Optional<InetSocketAddress>> originalDst) {
    this.engine = engine;
    this.establisher = establisher;
    this.info = info;
    this.originalDst = originalDst;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.channel().config().setAutoRead(false);
    Optional<InetSocketAddress> dst = originalDst.apply(ctx.channel());
    if (dst.isEmpty() || isSelf(dst.get())) {
      LOG.log(
          Level.INFO,
          "[{0}] transparent connection from {1} without an original destination (not redirected"
              + " by the firewall, or unsupported runtime): closed",
          info.connectionId(),
          info.client());
      refuse(ctx, "no-original-destination");
      return;
    }
    InetSocketAddress to = dst.get();
    engine
        .authenticator()
        .authenticateBySource(info)
        .whenComplete((result, error) ->
            ctx.executor()
                .execute(() -> {
                  if (!ctx.channel().isActive()) {
                    return;
                  }
                  if (result instanceof AuthResult.Accepted a) {
                    connect(ctx, to, a.principal());
                  } else {
                    String reason =
                        error != null
                            ? String.valueOf(error)
                            : ((AuthResult.Rejected) result).reason();
                    engine.events().authFailure(info, reason);
                    refuse(ctx, "unknown-source");
                  }
                }));
    ctx.fireChannelActive();
  }

  /** A connection made straight to the listener carries its own address as the destination. */
  private boolean isSelf(InetSocketAddress dst) {
    InetSocketAddress local = info.local();
    return local != null
        && dst.getPort() == local.getPort()
        && dst.getAddress().equals(local.getAddress());
  }

  private void connect(ChannelHandlerContext ctx, InetSocketAddress to, ProxyPrincipal principal) {
    HandshakeTimeout.finish(ctx.channel()); // the connect step has its own timeout
    engine.registry().trackAuthenticated(principal.userId(), ctx.channel());
    establisher.establish(
        ctx.channel(),
        info,
        principal,
        PROTOCOL,
        new Destination(to.getAddress().getHostAddress(), to.getPort()),
        true,
        outcome -> {
          if (outcome instanceof Outcome.Established ok) {
            engine.events().handshake(PROTOCOL, "ok", System.nanoTime() - started);
            ctx.pipeline().remove(this);
            Relay.start(ok.session(), ctx.channel(), ok.upstream(), engine.config());
          } else if (ctx.channel().isActive()) {
            refuse(ctx, ((Outcome.Failed) outcome).kind().name().toLowerCase(Locale.ROOT));
          }
        });
  }

  private void refuse(ChannelHandlerContext ctx, String result) {
    engine.events().handshake(PROTOCOL, result, System.nanoTime() - started);
    ctx.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg); // reading is off until the relay takes over
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      LOG.log(Level.WARNING, "[" + info.connectionId() + "] transparent connection failure", cause);
    }
    ctx.close();
  }
}
