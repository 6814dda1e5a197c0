package io.sluice.engine.http;

import io.github.bucket4j.Bucket;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.core.Outcome;
import io.sluice.engine.session.ProxySession;
import io.sluice.engine.session.ReadGate;
import io.sluice.engine.session.UserAllowance;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ProxyPrincipal;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Absolute-form forwarding for one client connection: rewrites the request to origin-form (Host
 * from the URI authority, hop-by-hop headers removed, framing re-applied), streams the body both
 * ways without aggregation, and keeps the origin connection for following requests to the same host
 * and port by the same principal (one {@code http-forward} session per origin connection). Client
 * responses are chunked when the origin gives no length (HTTP/1.1 clients) or delimited by close
 * (HTTP/1.0 clients). Event-loop confined.
 */
final class HttpForwarder {

  private static final Logger LOG = System.getLogger(HttpForwarder.class.getName());

  private final HttpProxyFrontend fe;
  private Channel upstream;
  private ReadGate upstreamGate;
  private ProxySession session;
  private Destination upstreamDestination;
  private ProxyPrincipal upstreamPrincipal;
  private boolean upstreamReusable;

  private HttpVersion clientVersion;
  private boolean headRequest;
  private boolean requestDone;
  private boolean responseStarted;
  private boolean interim;
  private boolean closeAfter;

  HttpForwarder(HttpProxyFrontend fe) {
    this.fe = fe;
  }

  void forward(ProxyPrincipal principal, HttpRequest req) {
    HttpTarget target = HttpTarget.absoluteForm(req.uri());
    if (target == null) {
      ReferenceCountUtil.release(req);
      fe.reject(HttpResponseStatus.BAD_REQUEST, "not-absolute-form");
      return;
    }
    List<String> codings = req.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    boolean chunked = !codings.isEmpty();
    if (chunked && !(codings.size() == 1 && codings.get(0).trim().equalsIgnoreCase("chunked"))) {
      ReferenceCountUtil.release(req);
      fe.reject(HttpResponseStatus.NOT_IMPLEMENTED, "transfer-coding");
      return;
    }
    clientVersion = req.protocolVersion();
    headRequest = HttpMethod.HEAD.equals(req.method());
    closeAfter =
        !HttpUtil.isKeepAlive(req)
            || req.headers().containsValue("proxy-connection", "close", true);
    requestDone = false;
    responseStarted = false;
    interim = false;

    HttpRequest out =
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, req.method(), target.originForm());
    out.headers().set(req.headers());
    HopByHop.strip(out.headers());
    out.headers().set(HttpHeaderNames.HOST, target.authority());
    if (chunked) {
      out.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
      out.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    ReferenceCountUtil.release(req);

    Destination destination = target.destination();
    if (upstream != null
        && upstream.isActive()
        && upstreamReusable
        && destination.equals(upstreamDestination)
        && Objects.equals(principal, upstreamPrincipal)) {
      send(out);
      return;
    }
    dropUpstream();
    Channel client = fe.ctx().channel();
    fe.establisher.establish(
        client,
        fe.info,
        principal,
        "http-forward",
        destination,
        false,
        outcome -> {
          if (outcome instanceof Outcome.Established ok) {
            attachUpstream(ok, destination, principal);
            send(out);
          } else if (client.isActive()) {
            Outcome.Failed failed = (Outcome.Failed) outcome;
            fe.reject(
                HttpReplies.statusFor(failed.kind()),
                failed.kind().name().toLowerCase(Locale.ROOT));
          }
        });
  }

  private void attachUpstream(
      Outcome.Established ok, Destination destination, ProxyPrincipal principal) {
    upstream = ok.upstream();
    session = ok.session();
    upstreamDestination = destination;
    upstreamPrincipal = principal;
    upstreamReusable = true;
    long idle = fe.engine.config().idleTimeout().toMillis();
    HttpDecoderConfig config =
        new HttpDecoderConfig()
            .setMaxHeaderSize(fe.engine.config().maxHttpHeaderBytes())
            .setMaxChunkSize(64 * 1024);
    upstream
        .pipeline()
        .addLast("origin-idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
    upstream.pipeline().addLast("origin-codec", new HttpClientCodec(config, false, false));
    upstream
        .pipeline()
        .addLast("origin", new UpstreamResponseHandler(this, fe.info.connectionId()));
    upstreamGate = new ReadGate(upstream, 0);
    UserAllowance.limitReadSize(upstream, session.allowance().downBps());
  }

  private void send(HttpRequest out) {
    upstream.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    fe.state(HttpProxyFrontend.State.STREAM_REQUEST);
    fe.drain();
  }

  /** A part of the request body (or its end) from the client. */
  void requestContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    int n = content.content().readableBytes();
    if (upstream == null || !upstream.isActive()) {
      content.release();
      return;
    }
    if (n > 0) {
      session.addUp(n);
    }
    upstream.writeAndFlush(content).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    if (!upstream.isWritable()) {
      fe.gate.pause(ReadGate.BACKPRESSURE);
    }
    shape(session.allowance().up(), n, fe.gate, fe.ctx().channel());
    if (last) {
      requestDone = true;
      fe.state(HttpProxyFrontend.State.AWAIT_RESPONSE);
    }
  }

  void onResponseHead(Channel from, HttpResponse r) {
    if (from != upstream
        || (fe.state() != HttpProxyFrontend.State.STREAM_REQUEST
            && fe.state() != HttpProxyFrontend.State.AWAIT_RESPONSE)) {
      from.close();
      return;
    }
    if (r.decoderResult().isFailure() || r.status().code() == 101) {
      LOG.log(
          Level.INFO,
          "[{0}] unusable response from origin {1}",
          fe.info.connectionId(),
          upstreamDestination);
      upstreamFailed();
      return;
    }
    int code = r.status().code();
    interim = code >= 100 && code < 200;
    boolean chunked = HttpUtil.isTransferEncodingChunked(r);
    boolean hasLength = r.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
    if (!interim) {
      upstreamReusable = HttpUtil.isKeepAlive(r);
    }
    HopByHop.strip(r.headers());
    boolean bodyless = interim || code == 204 || code == 304 || headRequest;
    if (!interim) {
      if (!bodyless && (chunked || !hasLength)) {
        r.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        if (HttpVersion.HTTP_1_1.equals(clientVersion)) {
          r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else {
          closeAfter = true;
        }
      }
      if (closeAfter) {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      } else if (!HttpVersion.HTTP_1_1.equals(clientVersion)) {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      }
    }
    r.setProtocolVersion(HttpVersion.HTTP_1_1);
    responseStarted = true;
    fe.ctx().channel().write(r).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  void onResponseContent(Channel from, HttpContent content) {
    if (from != upstream || !responseStarted) {
      content.release();
      return;
    }
    Channel client = fe.ctx().channel();
    boolean last = content instanceof LastHttpContent;
    int n = content.content().readableBytes();
    if (n > 0) {
      session.addDown(n);
    }
    ChannelFuture written = client.writeAndFlush(content);
    written.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    if (!client.isWritable()) {
      upstreamGate.pause(ReadGate.BACKPRESSURE);
    }
    shape(session.allowance().down(), n, upstreamGate, upstream);
    if (!last) {
      return;
    }
    if (interim) {
      interim = false;
      responseStarted = false;
      return;
    }
    if (!upstreamReusable || !requestDone) {
      dropUpstream();
    }
    if (closeAfter || !requestDone) {
      fe.state(HttpProxyFrontend.State.CLOSED);
      written.addListener(ChannelFutureListener.CLOSE);
    } else {
      fe.state(HttpProxyFrontend.State.IDLE);
      fe.drain();
    }
  }

  private static void shape(Bucket bucket, int n, ReadGate gate, Channel channel) {
    if (bucket == null || n <= 0) {
      return;
    }
    long wait = bucket.consumeIgnoringRateLimits(n);
    if (wait > 0) {
      gate.pause(ReadGate.SHAPER);
      channel.eventLoop().schedule(() -> gate.resume(ReadGate.SHAPER), wait, TimeUnit.NANOSECONDS);
    }
  }

  private void upstreamFailed() {
    boolean started = responseStarted;
    dropUpstream();
    if (!started) {
      fe.reject(HttpResponseStatus.BAD_GATEWAY, "bad-origin-response");
    } else {
      fe.close();
    }
  }

  void upstreamClosed(Channel from) {
    if (from != upstream) {
      return;
    }
    upstream = null;
    HttpProxyFrontend.State s = fe.state();
    if (s == HttpProxyFrontend.State.STREAM_REQUEST
        || s == HttpProxyFrontend.State.AWAIT_RESPONSE) {
      if (!responseStarted) {
        fe.reject(HttpResponseStatus.BAD_GATEWAY, "origin-closed");
      } else {
        fe.close();
      }
    }
  }

  void upstreamWritabilityChanged(Channel from) {
    if (from == upstream && from.isWritable()) {
      fe.gate.resume(ReadGate.BACKPRESSURE);
    }
  }

  void clientWritabilityChanged(boolean writable) {
    if (writable && upstreamGate != null) {
      upstreamGate.resume(ReadGate.BACKPRESSURE);
    }
  }

  void clientClosed() {
    dropUpstream();
  }

  private void dropUpstream() {
    if (upstream != null) {
      Channel u = upstream;
      upstream = null;
      u.close();
    }
  }
}
