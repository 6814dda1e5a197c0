package io.sluice.engine.socks5;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.sluice.engine.core.EngineContext;
import io.sluice.engine.core.HandshakeTimeout;
import io.sluice.engine.core.SessionEstablisher;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.wire.Socks5Reply;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * What a SOCKS5 command needs: the engine, the control channel (through the handshake handler's
 * context), the authenticated principal and the decoded request.
 */
record Socks5CommandContext(
    EngineContext engine,
    SessionEstablisher establisher,
    ChannelHandlerContext ctx,
    ConnectionInfo info,
    ProxyPrincipal principal,
    Socks5Message.Request request,
    long handshakeStarted) {

  private static final Logger LOG = System.getLogger(Socks5CommandContext.class.getName());

  Channel client() {
    return ctx.channel();
  }

  String id() {
    return info.connectionId();
  }

  Destination destination() {
    return new Destination(request.host(), request.port());
  }

  /**
   * Asks the exit selector for this command's route; on {@code null} (no exit: REP X'01') or a
   * selector failure (X'01') replies, logs and returns {@code null}.
   */
  ExitRoute selectOrFail(String command) {
    ExitRoute route;
    try {
      route = engine.exitSelector().select(principal, info, destination(), java.util.Set.of());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "[{0}] exit selector failed: {1}", id(), e.toString());
      fail(Socks5Reply.FAILURE, "exit-selector");
      return null;
    }
    if (route == null) {
      LOG.log(Level.INFO, "[{0}] {1}: no exit available", id(), command);
      fail(Socks5Reply.FAILURE, "no_exit");
    }
    return route;
  }

  /**
   * Refuses a command the selected exit cannot carry: REP X'07' (command not supported), logged.
   */
  void refuseThroughExit(String command, ExitRoute route) {
    LOG.log(
        Level.INFO, "[{0}] {1} refused: not supported through exit {2}", id(), command, route.id());
    fail(Socks5Reply.COMMAND_UNSUPPORTED, "exit-unsupported");
  }

  /**
   * The route for a command the engine serves only directly (BIND): the selected route when it is
   * {@link ExitRoute.Direct}; otherwise replies (REP X'07' for an upstream exit, X'01' when there
   * is no exit or the selector failed), logs, and returns {@code null}. Never falls back to direct
   * on its own.
   */
  ExitRoute.Direct directRouteOrFail(String command) {
    ExitRoute route = selectOrFail(command);
    if (route == null) {
      return null;
    }
    if (route instanceof ExitRoute.Direct direct) {
      return direct;
    }
    refuseThroughExit(command, route);
    return null;
  }

  /** Sends a failure reply (REP {@code rep}) and closes; records the handshake result. */
  void fail(Socks5Reply rep, String result) {
    engine
        .events()
        .handshake(Socks5Handshake.PROTOCOL, result, System.nanoTime() - handshakeStarted);
    client()
        .writeAndFlush(Unpooled.wrappedBuffer(Socks5Replies.failure(rep)))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Writes the (first) success reply, records the handshake, and removes the handshake timer and
   * handler. The phase decoder stays until {@link #removeDecoder()} so that bytes the client sent
   * early are handed to whatever is installed next.
   */
  void succeed(ByteBuf reply) {
    engine.events().handshake(Socks5Handshake.PROTOCOL, "ok", System.nanoTime() - handshakeStarted);
    client().writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    HandshakeTimeout.finish(client());
    if (client().pipeline().get(Socks5Handshake.NAME) != null) {
      client().pipeline().remove(Socks5Handshake.NAME);
    }
  }

  /** Removes the request decoder; bytes it holds flow to the handlers after it. */
  void removeDecoder() {
    if (client().pipeline().get(Socks5Handshake.DECODER) != null) {
      client().pipeline().remove(Socks5Handshake.DECODER);
    }
  }
}
