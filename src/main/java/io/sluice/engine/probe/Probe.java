package io.sluice.engine.probe;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
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
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.engine.exit.Connector;
import io.sluice.engine.exit.ExitFailureException;
import io.sluice.engine.exit.FailureKind;
import io.sluice.engine.net.HostResolver;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One probe of {@link ProbeClient}: resolve (direct route, by name), connect through the
 * route's connector, send the request, read the response; event-loop confined after {@link
 * #start()}. One timer enforces the deadline; while the connector works it is a backstop a
 * little after the deadline, because the connector keeps the same deadline itself and only it
 * knows how far it got (proxy reached, tunnel request sent).
 */
final class Probe {

  static final int MAX_INITIAL_LINE_BYTES = 4096;
  static final int MAX_INTERIM_RESPONSES = 5;
  /** How long past the deadline a connector may take to report its own timeout. */
  static final long CONNECTOR_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final ExitRoute route;
  private final URI uri;
  private final long timeoutNanos;
  private final Map<String, String> headers;
  private final EventLoop loop;
  private final Connector connector;
  private final HostResolver resolver;
  private final int maxBodyBytes;
  private final CompletableFuture<ProbeOutcome> result = new CompletableFuture<>();

  private long start;
  private long deadline;
  private ProbeUrl url;
  private ProbeStage stage = ProbeStage.URL;
  private ScheduledFuture<?> timer;
  private Future<Channel> connecting;
  private Channel channel;
  private boolean headSeen;
  private int interim;

  Probe(ExitRoute route, URI uri, Duration timeout, Map<String, String> headers, EventLoop loop, Connector connector,
      HostResolver resolver, int maxBodyBytes) {
    this.route = route;
    this.uri = uri;
    this.timeoutNanos = timeout.toNanos();
    this.headers = headers;
    this.loop = loop;
    this.connector = connector;
    this.resolver = resolver;
    this.maxBodyBytes = maxBodyBytes;
  }

  CompletableFuture<ProbeOutcome> result() {
    return result;
  }

  void start() {
    start = System.nanoTime();
    deadline = start + timeoutNanos;
    try {
      url = ProbeUrl.parse(uri);
    } catch (ProbeUrl.Invalid e) {
      fail(ProbeStage.URL, FailureKind.GENERAL, -1, false, e.getMessage());
      return;
    }
    if (url.secure()) {
      // TLS: the place is connected(), an SslHandler before the codec; not built yet.
      fail(ProbeStage.URL, FailureKind.GENERAL, -1, false, "https is not supported yet");
      return;
    }
    if (connector == null) {
      fail(ProbeStage.CONNECT, FailureKind.GENERAL, -1, false,
          "no connector for " + route.getClass().getSimpleName() + " routes");
      return;
    }
    if (!execute(this::begin)) {
      fail(ProbeStage.CONNECT, FailureKind.GENERAL, -1, false, "event loop shut down");
    }
  }

  private boolean execute(Runnable task) {
    try {
      loop.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private void begin() {
    if (route instanceof ExitRoute.Direct) {
      InetAddress literal = literal(url.host());
      if (literal != null) {
        connect(List.of(literal));
        return;
      }
      stage = ProbeStage.RESOLVE;
      arm(deadline);
      resolver.resolve(url.host()).whenComplete((list, error) -> {
        if (!execute(() -> resolved(list, error))) {
          fail(ProbeStage.RESOLVE, FailureKind.GENERAL, -1, false, "event loop shut down");
        }
      });
    } else {
      connect(List.of()); // the proxy gets the name; the connector resolves the proxy's host
    }
  }

  private void resolved(List<InetAddress> addresses, Throwable error) {
    if (result.isDone()) {
      return;
    }
    if (error != null || addresses == null || addresses.isEmpty()) {
      fail(ProbeStage.RESOLVE, FailureKind.UNRESOLVABLE, -1, false, "cannot resolve " + url.host());
      return;
    }
    connect(addresses);
  }

  private void connect(List<InetAddress> addresses) {
    stage = ProbeStage.CONNECT;
    arm(deadline + CONNECTOR_GRACE_NANOS);
    Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    try {
      connecting = connector.connect(route, addresses, new Destination(url.host(), url.port()), loop, left);
    } catch (RuntimeException e) {
      fail(ProbeStage.CONNECT, FailureKind.GENERAL, -1, false, "connector failed: " + describe(e));
      return;
    }
    connecting.addListener(f -> {
      if (f.isSuccess()) {
        connected((Channel) f.getNow());
      } else {
        connectFailed(f.cause());
      }
    });
  }

  private void connectFailed(Throwable cause) {
    if (result.isDone()) {
      return;
    }
    FailureKind kind = FailureKind.ofConnectError(cause);
    boolean timedOut = has(cause, ConnectTimeoutException.class) || has(cause, SocketTimeoutException.class);
    ExitFailureException x = find(cause, ExitFailureException.class);
    String hop = firstHop();
    if (x == null) {
      fail(ProbeStage.CONNECT, kind, -1, timedOut, connectMessage(cause, hop, timedOut));
      return;
    }
    switch (x.progress()) {
      case CONNECTED -> fail(ProbeStage.HANDSHAKE, kind, -1, timedOut,
          timedOut ? timedOutMessage("in the handshake with the " + hop) : x.getMessage());
      case REQUEST_SENT -> fail(ProbeStage.TUNNEL, kind, x.replyCode(), timedOut,
          timedOut ? timedOutMessage("waiting for the tunnel reply of the " + hop) : x.getMessage());
      default -> {
        if (has(cause, UnknownHostException.class)) {
          fail(ProbeStage.RESOLVE, kind, -1, false, "cannot resolve the " + hop);
        } else {
          Throwable socket = x.getCause() != null ? x.getCause() : x;
          fail(ProbeStage.CONNECT, kind, -1, timedOut, connectMessage(socket, hop, timedOut));
        }
      }
    }
  }

  private void connected(Channel ch) {
    if (result.isDone()) {
      ch.close();
      return;
    }
    channel = ch;
    stage = ProbeStage.REQUEST;
    arm(deadline);
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
    ChannelPipeline p = ch.pipeline();
    // https later: p.addLast("probe-tls", sslContext.newHandler(ch.alloc(), url.host(), url.port())) here.
    p.addLast("probe-http", new HttpClientCodec(MAX_INITIAL_LINE_BYTES, ProbeClient.MAX_HEADER_BYTES, 8192));
    p.addLast("probe-head", new HeadObserver());
    p.addLast("probe-aggregate", new HttpObjectAggregator(maxBodyBytes));
    p.addLast("probe-response", new ResponseHandler());
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, url.requestTarget(),
        Unpooled.EMPTY_BUFFER);
    request.headers().set(HttpHeaderNames.HOST, url.hostHeader());
    request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    headers.forEach((name, value) -> request.headers().set(name, value));
    ch.writeAndFlush(request).addListener(w -> {
      if (!w.isSuccess()) {
        fail(ProbeStage.REQUEST, FailureKind.GENERAL, -1, false, "cannot send the request: " + describe(w.cause()));
      } else if (stage == ProbeStage.REQUEST) {
        stage = ProbeStage.RESPONSE;
      }
    });
    ch.config().setAutoRead(true);
  }

  /** (Re)schedules the one timer to fire at {@code at}. */
  private void arm(long at) {
    if (timer != null) {
      timer.cancel(false);
    }
    timer = loop.schedule(this::deadlinePassed, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private void deadlinePassed() {
    if (result.isDone()) {
      return;
    }
    if (connecting != null && !connecting.isDone()) {
      connecting.cancel(false); // the connector overran its deadline; it closes what it opened
    }
    String what = switch (stage) {
      case RESOLVE -> "resolving " + url.host();
      case CONNECT -> "connecting through the " + firstHop();
      case REQUEST -> "sending the request";
      default -> "waiting for the response";
    };
    fail(stage, FailureKind.TIMEOUT, -1, true, timedOutMessage(what));
  }

  private void fail(ProbeStage at, FailureKind kind, int reply, boolean timedOut, String message) {
    finish(new ProbeOutcome.Failure(at, kind, reply, timedOut, message, millis()));
  }

  private void finish(ProbeOutcome outcome) {
    if (result.isDone()) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    if (channel != null) {
      channel.close();
    }
    result.complete(outcome);
  }

  private long millis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private String timedOutMessage(String what) {
    return "timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms " + what;
  }

  /** Who the TCP connection goes to: the target (direct) or the upstream proxy. */
  private String firstHop() {
    return switch (route) {
      case ExitRoute.Direct d -> "target " + url.authority();
      case ExitRoute.Socks5Upstream s -> "SOCKS5 exit " + authority(s.host(), s.port());
      case ExitRoute.HttpUpstream h -> "HTTP exit " + authority(h.host(), h.port());
    };
  }

  private String connectMessage(Throwable cause, String hop, boolean timedOut) {
    if (timedOut) {
      return timedOutMessage("connecting to the " + hop);
    }
    BindException bind = find(cause, BindException.class);
    if (bind != null && route instanceof ExitRoute.Direct d && d.localAddress() != null) {
      return "cannot bind the local address " + d.localAddress().getHostAddress() + ": " + describe(bind);
    }
    return switch (FailureKind.ofConnectError(cause)) {
      case REFUSED -> "connection refused by the " + hop;
      case HOST_UNREACHABLE -> "no route to the " + hop;
      case NETWORK_UNREACHABLE -> "network unreachable for the " + hop;
      default -> "cannot connect to the " + hop + ": " + describe(cause);
    };
  }

  private String responseError(Throwable cause) {
    if (find(cause, TooLongHttpHeaderException.class) != null) {
      return "response headers exceed " + ProbeClient.MAX_HEADER_BYTES / 1024 + " KiB";
    }
    if (find(cause, TooLongHttpLineException.class) != null) {
      return "malformed HTTP response: status line longer than " + MAX_INITIAL_LINE_BYTES + " bytes";
    }
    if (find(cause, TooLongFrameException.class) != null) {
      return maxBodyBytes % 1024 == 0 ? "response body exceeds " + maxBodyBytes / 1024 + " KiB"
          : "response body exceeds " + maxBodyBytes + " bytes";
    }
    if (find(cause, PrematureChannelClosureException.class) != null) {
      return headSeen ? "response body truncated (connection closed before its end)"
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

  private final class ResponseHandler extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof FullHttpResponse response && !result.isDone()) {
          onResponse(response);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void onResponse(FullHttpResponse response) {
      if (response.decoderResult().isFailure()) {
        fail(ProbeStage.RESPONSE, FailureKind.GENERAL, -1, false, responseError(response.decoderResult().cause()));
        return;
      }
      int code = response.status().code();
      if (code >= 100 && code < 200 && code != 101) {
        headSeen = false;
        if (++interim > MAX_INTERIM_RESPONSES) {
          fail(ProbeStage.RESPONSE, FailureKind.GENERAL, -1, false, "too many interim (1xx) responses");
        }
        return;
      }
      String body = response.content().toString(HttpUtil.getCharset(response, StandardCharsets.UTF_8));
      stage = ProbeStage.DONE;
      finish(new ProbeOutcome.Response(code, printable(response.status().reasonPhrase(), 60), body, millis()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(stage == ProbeStage.REQUEST ? ProbeStage.REQUEST : ProbeStage.RESPONSE, FailureKind.GENERAL, -1, false,
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
      if (stage == ProbeStage.REQUEST) {
        fail(ProbeStage.REQUEST, FailureKind.GENERAL, -1, false, "connection closed by peer before the request was sent");
      } else if (headSeen) {
        fail(ProbeStage.RESPONSE, FailureKind.GENERAL, -1, false,
            "response body truncated (connection closed before its end)");
      } else {
        fail(ProbeStage.RESPONSE, FailureKind.GENERAL, -1, false, "connection closed by peer before a response");
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static InetAddress literal(String host) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static String authority(String host, int port) {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable e = t; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (type.isInstance(e)) {
        return type.cast(e);
      }
    }
    return null;
  }

  private static boolean has(Throwable t, Class<? extends Throwable> type) {
    return find(t, type) != null;
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : printable(m, 200);
  }

  /** {@code s} cut to {@code max} characters, control characters replaced by {@code ?}. */
  static String printable(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 3);
    for (int k = 0; k < s.length() && k < max; k++) {
      char c = s.charAt(k);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (s.length() > max) {
      b.append("...");
    }
    return b.toString();
  }
}
