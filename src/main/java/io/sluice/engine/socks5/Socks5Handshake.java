package io.sluice.engine.socks5;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.core.EngineContext;
import io.sluice.engine.core.HandshakeTimeout;
import io.sluice.engine.core.SessionEstablisher;
import io.sluice.engine.net.DestinationGate;
import io.sluice.engine.net.HostNames;
import io.sluice.engine.spi.AuthResult;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.wire.Socks5Reply;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Drives a SOCKS5 handshake through its phases: method selection (RFC 1928 section 3),
 * username/password sub-negotiation (RFC 1929), request (RFC 1928 section 4), then hands over to
 * the command ({@link Socks5ConnectCommand}, {@link Socks5BindCommand}, {@link
 * Socks5UdpAssociateCommand}). Each phase has its own decoder in front of this handler under the
 * name {@link #DECODER}; reading is paused while an asynchronous step runs.
 *
 * <p>Method selection when authentication is required: X'02' if offered; else X'00' only if {@link
 * io.sluice.engine.spi.Authenticator#authenticateBySource} accepts; else X'FF' and close. When not
 * required: X'00' if offered (anonymous principal), else X'02' if offered.
 */
public final class Socks5Handshake extends ChannelInboundHandlerAdapter {

  public static final String NAME = "socks5";
  public static final String DECODER = "socks5-decoder";
  static final String PROTOCOL = "socks5";
  private static final Logger LOG = System.getLogger(Socks5Handshake.class.getName());

  enum Phase {
    METHOD,
    AUTH,
    REQUEST,
    COMMAND
  }

  private final EngineContext engine;
  private final SessionEstablisher establisher;
  private final ConnectionInfo info;
  private final boolean authRequired;
  private final long started = System.nanoTime();
  private Phase phase = Phase.METHOD;
  private ProxyPrincipal principal;

  public Socks5Handshake(
      EngineContext engine,
      SessionEstablisher establisher,
      ConnectionInfo info,
      boolean authRequired) {
    this.engine = engine;
    this.establisher = establisher;
    this.info = info;
    this.authRequired = authRequired;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Socks5Message m)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (m instanceof Socks5Message.Malformed bad) {
      finishWithReply(ctx, bad.reply(), "malformed");
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(
            Level.DEBUG,
            "[{0}] malformed SOCKS5 {1}: {2}",
            info.connectionId(),
            phase,
            bad.reason());
      }
      return;
    }
    switch (phase) {
      case METHOD -> onGreeting(ctx, (Socks5Message.Greeting) m);
      case AUTH -> onCredentials(ctx, (Socks5Message.Credentials) m);
      case REQUEST -> onRequest(ctx, (Socks5Message.Request) m);
      case COMMAND -> {}
    }
  }

  private void onGreeting(ChannelHandlerContext ctx, Socks5Message.Greeting greeting) {
    boolean password = greeting.offers(Socks5Codes.METHOD_PASSWORD);
    boolean none = greeting.offers(Socks5Codes.METHOD_NO_AUTH);
    if (authRequired && password || !authRequired && !none && password) {
      phase = Phase.AUTH;
      ctx.writeAndFlush(Unpooled.wrappedBuffer(Socks5Replies.method(Socks5Codes.METHOD_PASSWORD)));
      ctx.pipeline().replace(DECODER, DECODER, new Socks5PasswordDecoder());
    } else if (!authRequired && none) {
      acceptMethodNone(ctx, ProxyPrincipal.anonymous());
    } else if (none) {
      await(
          ctx,
          engine.authenticator().authenticateBySource(info),
          result -> {
            if (result instanceof AuthResult.Accepted accepted) {
              acceptMethodNone(ctx, accepted.principal());
            } else {
              engine.events().authFailure(info, ((AuthResult.Rejected) result).reason());
              finishWithReply(
                  ctx, Socks5Replies.method(Socks5Codes.METHOD_NONE_ACCEPTABLE), "source-rejected");
            }
          });
    } else {
      finishWithReply(
          ctx, Socks5Replies.method(Socks5Codes.METHOD_NONE_ACCEPTABLE), "no-acceptable-method");
    }
  }

  private void acceptMethodNone(ChannelHandlerContext ctx, ProxyPrincipal principal) {
    this.principal = principal;
    engine.registry().trackAuthenticated(principal.userId(), ctx.channel());
    phase = Phase.REQUEST;
    ctx.writeAndFlush(Unpooled.wrappedBuffer(Socks5Replies.method(Socks5Codes.METHOD_NO_AUTH)));
    ctx.pipeline().replace(DECODER, DECODER, new Socks5RequestDecoder());
  }

  private void onCredentials(ChannelHandlerContext ctx, Socks5Message.Credentials c) {
    await(
        ctx,
        engine.authenticator().authenticate(info, c.username(), c.password()),
        result -> {
          if (result instanceof AuthResult.Accepted accepted) {
            principal = accepted.principal();
            engine.registry().trackAuthenticated(principal.userId(), ctx.channel());
            phase = Phase.REQUEST;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(Socks5Replies.authStatus(true)));
            ctx.pipeline().replace(DECODER, DECODER, new Socks5RequestDecoder());
          } else {
            String reason = ((AuthResult.Rejected) result).reason();
            engine.events().authFailure(info, reason);
            LOG.log(
                Level.INFO,
                "[{0}] SOCKS5 authentication failed for user {1}: {2}",
                info.connectionId(),
                c.username(),
                reason);
            finishWithReply(ctx, Socks5Replies.authStatus(false), "auth-failed");
          }
        });
  }

  private void onRequest(ChannelHandlerContext ctx, Socks5Message.Request request) {
    phase = Phase.COMMAND;
    ctx.channel().config().setAutoRead(false);
    // The client has said everything; from here the connect (or BIND/UDP) step has its own
    // timeout and always ends with a reply.
    HandshakeTimeout.finish(ctx.channel());
    Socks5CommandContext cc =
        new Socks5CommandContext(engine, establisher, ctx, info, principal, request, started);
    if (request.command() != Socks5Codes.CMD_UDP_ASSOCIATE
        && HostNames.isAmbiguousIpv4Literal(request.host())) {
      // Refused before CONNECT or BIND runs. UDP ASSOCIATE's DST.ADDR is only a hint that is
      // never resolved (PySocks sends the name "0"); its datagrams' destinations are checked
      // one by one by the relay.
      LOG.log(
          Level.INFO,
          "[{0}] SOCKS5 destination {1} refused: {2}",
          info.connectionId(),
          request.host(),
          DestinationGate.AMBIGUOUS_IPV4);
      cc.fail(Socks5Reply.NOT_ALLOWED, DestinationGate.AMBIGUOUS_IPV4);
      return;
    }
    switch (request.command()) {
      case Socks5Codes.CMD_CONNECT -> new Socks5ConnectCommand(cc).run();
      case Socks5Codes.CMD_BIND -> new Socks5BindCommand(cc).run();
      case Socks5Codes.CMD_UDP_ASSOCIATE -> new Socks5UdpAssociateCommand(cc).run();
      default -> cc.fail(Socks5Reply.COMMAND_UNSUPPORTED, "command");
    }
  }

  /**
   * Runs {@code then} on the event loop when the stage completes; reading paused meanwhile. A stage
   * that is already complete (the authenticator's cache answered) runs at once, without pausing
   * reading and a task hop: two {@code epoll_ctl} calls fewer per connection.
   */
  private void await(
      ChannelHandlerContext ctx, CompletionStage<AuthResult> stage, Consumer<AuthResult> then) {
    if (stage instanceof CompletableFuture<AuthResult> done
        && done.isDone()
        && ctx.executor().inEventLoop()) {
      AuthResult result = null;
      Throwable error = null;
      try {
        result = done.join();
      } catch (CompletionException | CancellationException e) {
        error = e.getCause() != null ? e.getCause() : e;
      }
      onAuthResult(ctx, result, error, then, false);
      return;
    }
    ctx.channel().config().setAutoRead(false);
    stage.whenComplete((result, error) ->
        ctx.executor().execute(() -> onAuthResult(ctx, result, error, then, true)));
  }

  private void onAuthResult(
      ChannelHandlerContext ctx,
      AuthResult result,
      Throwable error,
      Consumer<AuthResult> then,
      boolean paused) {
    if (!ctx.channel().isActive()) {
      return;
    }
    if (error != null || result == null) {
      LOG.log(
          Level.WARNING,
          "[{0}] authenticator failed: {1}",
          info.connectionId(),
          String.valueOf(error));
      byte[] reply =
          phase == Phase.AUTH
              ? Socks5Replies.authStatus(false)
              : Socks5Replies.method(Socks5Codes.METHOD_NONE_ACCEPTABLE);
      finishWithReply(ctx, reply, "auth-error");
      return;
    }
    then.accept(result);
    if (paused && ctx.channel().isActive() && phase != Phase.COMMAND) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void finishWithReply(ChannelHandlerContext ctx, byte[] reply, String result) {
    phase = Phase.COMMAND;
    engine.events().handshake(PROTOCOL, result, System.nanoTime() - started);
    ctx.channel().config().setAutoRead(false);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(reply)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(
            Level.DEBUG,
            "[{0}] I/O error during SOCKS5 handshake: {1}",
            info.connectionId(),
            cause.toString());
      }
    } else {
      LOG.log(Level.WARNING, "[" + info.connectionId() + "] SOCKS5 handshake failure", cause);
    }
    ctx.close();
  }
}
