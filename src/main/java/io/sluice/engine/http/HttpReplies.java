package io.sluice.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.engine.exit.FailureKind;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's own responses. Errors always close the connection; 407 carries {@code
 * Proxy-Authenticate: Basic realm="sluice"}.
 */
public final class HttpReplies {

  public static final HttpResponseStatus CONNECTION_ESTABLISHED =
      new HttpResponseStatus(200, "Connection established");

  private HttpReplies() {}

  public static FullHttpResponse error(ByteBufAllocator alloc, HttpResponseStatus status) {
    return error(alloc, status, null);
  }

  /** An error whose body is the status line and, when not null, one line of ASCII detail. */
  public static FullHttpResponse error(
      ByteBufAllocator alloc, HttpResponseStatus status, String detail) {
    String text = status.code() + " " + status.reasonPhrase() + "\n";
    if (detail != null) {
      text += detail + "\n";
    }
    byte[] body = text.getBytes(StandardCharsets.US_ASCII);
    ByteBuf content = alloc.buffer(body.length).writeBytes(body);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=us-ascii");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    if (status.code() == 407) {
      r.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"sluice\"");
    }
    return r;
  }

  public static FullHttpResponse established(ByteBufAllocator alloc) {
    return new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, CONNECTION_ESTABLISHED, alloc.buffer(0));
  }

  /**
   * Status for a failure to establish: 429 when the user is over a limit (concurrency or session
   * rate), 403 when the destination policy denies, 504 on connect timeout, 503 when the exit
   * selector has no exit for the session, 502 otherwise (including an unreachable upstream exit and
   * an upstream exit that refused Sluice's credentials).
   */
  public static HttpResponseStatus statusFor(FailureKind kind) {
    return switch (kind) {
      case LIMIT -> HttpResponseStatus.TOO_MANY_REQUESTS;
      case DENIED -> HttpResponseStatus.FORBIDDEN;
      case TIMEOUT -> HttpResponseStatus.GATEWAY_TIMEOUT;
      case NO_EXIT -> HttpResponseStatus.SERVICE_UNAVAILABLE;
      default -> HttpResponseStatus.BAD_GATEWAY;
    };
  }
}
