package io.sluice.engine.probe;

import static io.sluice.engine.probe.ProbeText.describe;
import static io.sluice.engine.probe.ProbeText.find;
import static io.sluice.engine.probe.ProbeText.printable;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.exit.FailureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The HTTP part of one {@link Probe} on the channel its connector opened: installs the client codec
 * and aggregator with the probe's size limits, sends the {@code GET}, skips interim ({@code 1xx})
 * responses, and reports the final response, a decoder error or an early close back to the probe as
 * an outcome with a readable message. Event-loop confined, like the probe.
 */
final class ProbeExchange {

  static final int MAX_INITIAL_LINE_BYTES = 4096;
  static final int MAX_CHUNK_BYTES = 8192;
  static final int MAX_INTERIM_RESPONSES = 5;

  private final Probe probe;
  private final int maxBodyBytes;
  private boolean headSeen;
  private int interim;

  ProbeExchange(Probe probe, int maxBodyBytes) {
    this.probe = probe;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Sets up {@code ch} for the exchange and sends the request for {@code url} with the extra {@code
   * headers}.
   */
  void begin(Channel ch, ProbeUrl url, Map<String, String> headers) {
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
    ChannelPipeline p = ch.pipeline(); // after the probe's SslHandler for https
    p.addLast(
        "probe-http",
        new HttpClientCodec(MAX_INITIAL_LINE_BYTES, ProbeClient.MAX_HEADER_BYTES, MAX_CHUNK_BYTES));
    p.addLast("probe-head", new HeadObserver());
    p.addLast("probe-aggregate", new HttpObjectAggregator(maxBodyBytes));
    p.addLast("probe-response", new ResponseHandler());
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, url.requestTarget(), Unpooled.EMPTY_BUFFER);
    request.headers().set(HttpHeaderNames.HOST, url.hostHeader());
    request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    headers.forEach((name, value) -> request.headers().set(name, value));
    ch.writeAndFlush(request)
        .addListener(w -> {
          if (!w.isSuccess()) {
            probe.fail(
                ProbeStage.REQUEST,
                FailureKind.GENERAL,
                -1,
                false,
                "cannot send the request: " + describe(w.cause()));
          } else {
            probe.requestSent();
          }
        });
    ch.config().setAutoRead(true);
  }

  private String responseError(Throwable cause) {
    if (find(cause, TooLongHttpHeaderException.class) != null) {
      return "response headers exceed " + ProbeClient.MAX_HEADER_BYTES / 1024 + " KiB";
    }
    if (find(cause, TooLongHttpLineException.class) != null) {
      return "malformed HTTP response: status line longer than "
          + MAX_INITIAL_LINE_BYTES
          + " bytes";
    }
    if (find(cause, TooLongFrameException.class) != null) {
      return maxBodyBytes % 1024 == 0
          ? "response body exceeds " + maxBodyBytes / 1024 + " KiB"
          : "response body exceeds " + maxBodyBytes + " bytes";
    }
    if (find(cause, PrematureChannelClosureException.class) != null) {
      return headSeen
          ? "response body truncated (connection closed before its end)"
          : "response truncated (connection closed inside the response head)";
    }
    if (cause instanceof IOException) {
      return "connection error: " + describe(cause);
    }
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return "malformed HTTP response: " + describe(root);
  }

  /** Counts whether a response head arrived (to tell a truncated body from no response). */
  private final class HeadObserver extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpResponse r && r.decoderResult().isSuccess()) {
        headSeen = true;
      }
      ctx.fireChannelRead(msg);
    }
  }

  /**
   * Turns the aggregated response, a pipeline error or the peer's close into the probe's outcome.
   */
  private final class ResponseHandler extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof FullHttpResponse response && !probe.isDone()) {
          onResponse(response);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void onResponse(FullHttpResponse response) {
      if (response.decoderResult().isFailure()) {
        probe.fail(
            ProbeStage.RESPONSE,
            FailureKind.GENERAL,
            -1,
            false,
            responseError(response.decoderResult().cause()));
        return;
      }
      int code = response.status().code();
      if (code >= 100 && code < 200 && code != 101) {
        headSeen = false;
        if (++interim > MAX_INTERIM_RESPONSES) {
          probe.fail(
              ProbeStage.RESPONSE,
              FailureKind.GENERAL,
              -1,
              false,
              "too many interim (1xx) responses");
        }
        return;
      }
      String body =
          response.content().toString(HttpUtil.getCharset(response, StandardCharsets.UTF_8));
      probe.responded(code, printable(response.status().reasonPhrase(), 60), body);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      probe.fail(
          probe.stage() == ProbeStage.REQUEST ? ProbeStage.REQUEST : ProbeStage.RESPONSE,
          FailureKind.GENERAL,
          -1,
          false,
          responseError(cause));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        closed();
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closed();
      ctx.fireChannelInactive();
    }

    private void closed() {
      if (probe.stage() == ProbeStage.REQUEST) {
        probe.fail(
            ProbeStage.REQUEST,
            FailureKind.GENERAL,
            -1,
            false,
            "connection closed by peer before the request was sent");
      } else if (headSeen) {
        probe.fail(
            ProbeStage.RESPONSE,
            FailureKind.GENERAL,
            -1,
            false,
            "response body truncated (connection closed before its end)");
      } else {
        probe.fail(
            ProbeStage.RESPONSE,
            FailureKind.GENERAL,
            -1,
            false,
            "connection closed by peer before a response");
      }
    }
  }
}
