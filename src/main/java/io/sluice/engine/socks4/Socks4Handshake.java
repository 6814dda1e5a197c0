package io.sluice.engine.socks4;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.core.EngineContext;
import io.sluice.engine.core.HandshakeTimeout;
import io.sluice.engine.core.Outcome;
import io.sluice.engine.core.SessionEstablisher;
import io.sluice.engine.net.DestinationGate;
import io.sluice.engine.net.HostNames;
import io.sluice.engine.relay.Relay;
import io.sluice.engine.spi.AuthResult;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ProxyPrincipal;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * SOCKS4/4a CONNECT (CD X'01') on mixed listeners. USERID is not a password: the client is admitted
 * only by {@link io.sluice.engine.spi.Authenticator#authenticateBySource} (or as anonymous when the
 * listener does not require authentication). Anything else gets CD X'5B' (request rejected or
 * failed) and the connection is closed. Reply: VN X'00', CD, DSTPORT, DSTIP (8 octets).
 */
public final class Socks4Handshake extends ChannelInboundHandlerAdapter {

  public static final String NAME = "socks4";
  public static final String DECODER = "socks4-decoder";
  private static final Logger LOG = System.getLogger(Socks4Handshake.class.getName());
  private static final int GRANTED = 0x5A;
  private static final int REJECTED = 0x5B;

  private final EngineContext engine;
  private final SessionEstablisher establisher;
  private final ConnectionInfo info;
  private final boolean authRequired;
  private final long started = System.nanoTime();
  private boolean requestSeen;

  public Socks4Handshake(
      EngineContext engine,
      SessionEstablisher establisher,
      ConnectionInfo info,
      boolean authRequired) {
    this.engine = engine;
    this.establisher = establisher;
    this.info = info;
    this.authRequired = authRequired;
  }

  /** Installs decoder and handler at the end of the pipeline. */
  public static void install(io.netty.channel.ChannelPipeline p, Socks4Handshake handler) {
    p.addLast(DECODER, new Socks4RequestDecoder());
    p.addLast(NAME, handler);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Socks4Request req) || requestSeen) {
      ReferenceCountUtil.release(msg);
      return;
    }
    requestSeen = true;
    ctx.channel().config().setAutoRead(false);
    HandshakeTimeout.finish(ctx.channel()); // the connect step has its own timeout and a reply
    if (req.host() == null || req.command() != 1 || req.port() == 0) {
      reject(ctx, "malformed-or-unsupported");
      return;
    }
    if (HostNames.isAmbiguousIpv4Literal(req.host())) {
      LOG.log(
          Level.INFO,
          "[{0}] SOCKS4a destination {1} refused: {2}",
          info.connectionId(),
          req.host(),
          DestinationGate.AMBIGUOUS_IPV4);
      reject(ctx, DestinationGate.AMBIGUOUS_IPV4);
      return;
    }
    if (!authRequired) {
      connect(ctx, req, ProxyPrincipal.anonymous());
      return;
    }
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
                    connect(ctx, req, a.principal());
                  } else {
                    String reason =
                        error != null
                            ? String.valueOf(error)
                            : ((AuthResult.Rejected) result).reason();
                    engine.events().authFailure(info, reason);
                    reject(ctx, "source-rejected");
                  }
                }));
  }

  private void connect(ChannelHandlerContext ctx, Socks4Request req, ProxyPrincipal principal) {
    engine.registry().trackAuthenticated(principal.userId(), ctx.channel());
    establisher.establish(
        ctx.channel(),
        info,
        principal,
        "socks4",
        new Destination(req.host(), req.port()),
        true,
        outcome -> {
          if (outcome instanceof Outcome.Established ok) {
            engine.events().handshake("socks4", "ok", System.nanoTime() - started);
            ctx.writeAndFlush(reply(ctx, GRANTED))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            HandshakeTimeout.finish(ctx.channel());
            ctx.pipeline().remove(this);
            Relay.start(ok.session(), ctx.channel(), ok.upstream(), engine.config());
            ctx.pipeline().remove(DECODER);
          } else if (ctx.channel().isActive()) {
            reject(
                ctx, ((Outcome.Failed) outcome).kind().name().toLowerCase(java.util.Locale.ROOT));
          }
        });
  }

  private void reject(ChannelHandlerContext ctx, String result) {
    engine.events().handshake("socks4", result, System.nanoTime() - started);
    ctx.writeAndFlush(reply(ctx, REJECTED)).addListener(ChannelFutureListener.CLOSE);
  }

  private static ByteBuf reply(ChannelHandlerContext ctx, int cd) {
    return ctx.alloc().buffer(8).writeByte(0).writeByte(cd).writeShort(0).writeInt(0);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(
            Level.DEBUG,
            "[{0}] I/O error during SOCKS4 handshake: {1}",
            info.connectionId(),
            cause.toString());
      }
    } else {
      LOG.log(Level.WARNING, "[" + info.connectionId() + "] SOCKS4 handshake failure", cause);
    }
    ctx.close();
  }
}
