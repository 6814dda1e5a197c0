package io.sluice.engine.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.core.EngineContext;
import io.sluice.engine.core.HandshakeTimeout;
import io.sluice.engine.core.SessionEstablisher;
import io.sluice.engine.net.DestinationGate;
import io.sluice.engine.net.HostNames;
import io.sluice.engine.session.ReadGate;
import io.sluice.engine.spi.AuthResult;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.ProxyPrincipal;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * HTTP proxy front end of one client connection: reads request heads, authenticates from {@code
 * Proxy-Authorization: Basic} only (407 with {@code Proxy-Authenticate} otherwise, or the source
 * address when no credentials are offered), then hands CONNECT to {@link HttpConnectTunnel} and
 * absolute-form requests to {@link HttpForwarder}. Several requests may follow on one connection
 * (keep-alive); messages that arrive while a step is in progress are queued and reading is paused,
 * so the queue holds at most one read's worth.
 *
 * <p>Replies: 400 for origin-form or malformed requests, 414 for a request line beyond 8 KiB, 431
 * for a head beyond {@code maxHttpHeaderBytes}, 501 for a transfer coding other than chunked.
 * Failures to establish: see {@link HttpReplies#statusFor}.
 */
public final class HttpProxyFrontend extends ChannelInboundHandlerAdapter {

  public static final String NAME = "http";
  public static final String DECODER = "http-decoder";
  public static final String ENCODER = "http-encoder";
  static final String PROTOCOL = "http";
  private static final Logger LOG = System.getLogger(HttpProxyFrontend.class.getName());
  private static final int MAX_LINE = 8192;
  private static final String AMBIGUOUS_DETAIL =
      "ambiguous-ipv4-literal: the destination is an IPv4 address in octal, hex or shortened form;"
          + " write it as four decimal octets (127.0.0.1)";

  enum State {
    IDLE,
    BUSY,
    STREAM_REQUEST,
    AWAIT_RESPONSE,
    TUNNEL,
    CLOSED
  }

  final EngineContext engine;
  final SessionEstablisher establisher;
  final ConnectionInfo info;
  private final boolean authRequired;
  private final long started = System.nanoTime();
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private State state = State.IDLE;
  private boolean draining;
  private boolean handshakeDone;
  private String cachedAuthorization;
  private ProxyPrincipal cachedPrincipal;
  private ChannelHandlerContext ctx;
  ReadGate gate;
  private HttpForwarder forwarder;

  public HttpProxyFrontend(
      EngineContext engine,
      SessionEstablisher establisher,
      ConnectionInfo info,
      boolean authRequired) {
    this.engine = engine;
    this.establisher = establisher;
    this.info = info;
    this.authRequired = authRequired;
  }

  /** Installs codec and front end at the end of the pipeline. */
  public static void install(ChannelPipeline p, EngineContext engine, HttpProxyFrontend frontend) {
    HttpDecoderConfig config =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_LINE)
            .setMaxHeaderSize(engine.config().maxHttpHeaderBytes())
            .setMaxChunkSize(64 * 1024);
    p.addLast(DECODER, new HttpRequestDecoder(config));
    p.addLast(ENCODER, new HttpResponseEncoder());
    p.addLast(NAME, frontend);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.gate = new ReadGate(ctx.channel(), 0);
  }

  ChannelHandlerContext ctx() {
    return ctx;
  }

  State state() {
    return state;
  }

  void state(State s) {
    state = s;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.CLOSED) {
      ReferenceCountUtil.release(msg);
      return;
    }
    queue.add(msg);
    drain();
  }

  /** Processes queued messages as far as the state allows; pauses reading otherwise. */
  void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      while (!queue.isEmpty() && (state == State.IDLE || state == State.STREAM_REQUEST)) {
        Object m = queue.poll();
        if (state == State.IDLE) {
          if (m instanceof HttpRequest req) {
            onRequest(req);
          } else {
            ReferenceCountUtil.release(m); // stray body after an answered request
          }
        } else if (m instanceof HttpContent content) {
          forwarder.requestContent(content);
        } else {
          ReferenceCountUtil.release(m);
        }
      }
    } finally {
      draining = false;
    }
    if (state == State.CLOSED) {
      releaseQueue();
    } else if (state == State.IDLE || state == State.STREAM_REQUEST) {
      gate.resume(ReadGate.SETUP);
    } else {
      gate.pause(ReadGate.SETUP);
    }
  }

  /** Takes the queued messages (for the tunnel, which forwards raw bytes). */
  ArrayDeque<Object> takeQueue() {
    ArrayDeque<Object> q = new ArrayDeque<>(queue);
    queue.clear();
    return q;
  }

  private void onRequest(HttpRequest req) {
    if (req.decoderResult().isFailure()) {
      Throwable cause = req.decoderResult().cause();
      HttpResponseStatus status =
          cause instanceof TooLongHttpHeaderException
              ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
              : cause instanceof TooLongHttpLineException
                  ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                  : HttpResponseStatus.BAD_REQUEST;
      ReferenceCountUtil.release(req);
      reject(status, "malformed");
      return;
    }
    boolean connect = HttpMethod.CONNECT.equals(req.method());
    // The target form is checked before authentication: a request a proxy cannot serve
    // (origin-form, another scheme, an ambiguous IPv4 literal) is a 400 whoever sends it.
    HttpTarget target =
        connect ? HttpTarget.authorityForm(req.uri()) : HttpTarget.absoluteForm(req.uri());
    if (target == null) {
      ReferenceCountUtil.release(req);
      reject(HttpResponseStatus.BAD_REQUEST, connect ? "bad-connect-target" : "not-absolute-form");
      return;
    }
    if (HostNames.isAmbiguousIpv4Literal(target.destination().host())) {
      LOG.log(
          Level.INFO,
          "[{0}] HTTP destination {1} refused: {2}",
          info.connectionId(),
          target.destination().host(),
          DestinationGate.AMBIGUOUS_IPV4);
      ReferenceCountUtil.release(req);
      reject(HttpResponseStatus.BAD_REQUEST, DestinationGate.AMBIGUOUS_IPV4, AMBIGUOUS_DETAIL);
      return;
    }
    state = State.BUSY;
    if (connect) {
      // From here on the client speaks raw bytes: the rest of what the decoder holds is queued
      // as ByteBufs for the tunnel.
      ctx.pipeline().remove(DECODER);
    }
    authenticate(req)
        .whenComplete((result, error) ->
            ctx.executor()
                .execute(() -> {
                  if (state == State.CLOSED || !ctx.channel().isActive()) {
                    ReferenceCountUtil.release(req);
                    return;
                  }
                  if (error != null || !(result instanceof AuthResult.Accepted accepted)) {
                    String reason =
                        error != null
                            ? String.valueOf(error)
                            : ((AuthResult.Rejected) result).reason();
                    engine.events().authFailure(info, reason);
                    LOG.log(
                        Level.INFO,
                        "[{0}] HTTP proxy authentication failed: {1}",
                        info.connectionId(),
                        reason);
                    ReferenceCountUtil.release(req);
                    reject(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED, "auth-failed");
                    return;
                  }
                  if (!handshakeDone) {
                    handshakeDone = true;
                    engine.events().handshake(PROTOCOL, "ok", System.nanoTime() - started);
                    HandshakeTimeout.finish(ctx.channel());
                    if (!connect) {
                      long idle = engine.config().idleTimeout().toMillis();
                      ctx.pipeline()
                          .addBefore(
                              NAME,
                              "http-idle",
                              new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
                    }
                  }
                  if (connect) {
                    new HttpConnectTunnel(this, accepted.principal(), req).run();
                  } else {
                    if (forwarder == null) {
                      forwarder = new HttpForwarder(this);
                    }
                    forwarder.forward(accepted.principal(), req);
                  }
                }));
  }

  private CompletionStage<AuthResult> authenticate(HttpRequest req) {
    String header = req.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
    if (cachedPrincipal != null && java.util.Objects.equals(header, cachedAuthorization)) {
      return CompletableFuture.completedFuture(AuthResult.accepted(cachedPrincipal));
    }
    CompletionStage<AuthResult> stage;
    if (header != null) {
      BasicCredentials c = BasicCredentials.parse(header);
      if (c == null) {
        return CompletableFuture.completedFuture(
            AuthResult.rejected("malformed Proxy-Authorization"));
      }
      stage = engine.authenticator().authenticate(info, c.username(), c.password());
    } else if (!authRequired) {
      stage = CompletableFuture.completedFuture(AuthResult.accepted(ProxyPrincipal.anonymous()));
    } else {
      stage = engine.authenticator().authenticateBySource(info);
    }
    return stage.thenApply(r -> {
      if (r instanceof AuthResult.Accepted a) {
        cacheAuth(header, a.principal());
      }
      return r;
    });
  }

  private void cacheAuth(String header, ProxyPrincipal principal) {
    ctx.executor()
        .execute(() -> {
          cachedAuthorization = header;
          cachedPrincipal = principal;
          engine.registry().trackAuthenticated(principal.userId(), ctx.channel());
        });
  }

  /** Answers with an error status and closes the connection. */
  void reject(HttpResponseStatus status, String result) {
    reject(status, result, null);
  }

  /** Answers with an error status and a line of detail in the body, and closes the connection. */
  void reject(HttpResponseStatus status, String result, String detail) {
    if (!handshakeDone) {
      handshakeDone = true;
      engine.events().handshake(PROTOCOL, result, System.nanoTime() - started);
    }
    state = State.CLOSED;
    releaseQueue();
    if (ctx.pipeline().get(ENCODER) == null) {
      ctx.close();
      return;
    }
    ctx.writeAndFlush(HttpReplies.error(ctx.alloc(), status, detail))
        .addListener(ChannelFutureListener.CLOSE);
  }

  void close() {
    state = State.CLOSED;
    releaseQueue();
    ctx.close();
  }

  private void releaseQueue() {
    Object m;
    while ((m = queue.poll()) != null) {
      ReferenceCountUtil.release(m);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (forwarder != null) {
      forwarder.clientWritabilityChanged(ctx.channel().isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    state = State.CLOSED;
    releaseQueue();
    if (forwarder != null) {
      forwarder.clientClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(Level.DEBUG, "[{0}] HTTP client connection idle; closing", info.connectionId());
      }
      close();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(
            Level.DEBUG, "[{0}] HTTP client I/O error: {1}", info.connectionId(), cause.toString());
      }
    } else {
      LOG.log(Level.WARNING, "[" + info.connectionId() + "] HTTP front end failure", cause);
    }
    close();
  }
}
