package io.sluice.engine.probe;

import static io.sluice.engine.probe.ProbeText.authority;
import static io.sluice.engine.probe.ProbeText.describe;
import static io.sluice.engine.probe.ProbeText.find;
import static io.sluice.engine.probe.ProbeText.has;

import io.netty.channel.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.engine.exit.Connector;
import io.sluice.engine.exit.ExitFailureException;
import io.sluice.engine.exit.FailureKind;
import io.sluice.engine.net.HostResolver;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import java.net.BindException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One probe of {@link ProbeClient}: resolve (direct route, by name), connect through the route's
 * connector, then hand the channel to a {@link ProbeExchange} that sends the request and reads the
 * response (for {@code https} after a {@link ProbeTls} handshake on the tunnel); event-loop
 * confined after {@link #start()}. This class owns the stage, the deadline and the outcome: one
 * timer enforces the deadline; while the connector works it is a backstop a little after the
 * deadline, because the connector keeps the same deadline itself and only it knows how far it got
 * (proxy reached, tunnel request sent). Connect failures are turned into outcome messages here,
 * response failures in {@link ProbeExchange}.
 */
final class Probe {

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
  private final Supplier<SslContext> tls;
  private final CompletableFuture<ProbeOutcome> result = new CompletableFuture<>();

  private long start;
  private long deadline;
  private ProbeUrl url;
  private ProbeStage stage = ProbeStage.URL;
  private ScheduledFuture<?> timer;
  private Future<Channel> connecting;
  private Channel channel;

  Probe(
      ExitRoute route,
      URI uri,
      Duration timeout,
      Map<String, String> headers,
      EventLoop loop,
      Connector connector,
      HostResolver resolver,
      int maxBodyBytes,
      Supplier<SslContext> tls) {
    this.route = route;
    this.uri = uri;
    this.timeoutNanos = timeout.toNanos();
    this.headers = headers;
    this.loop = loop;
    this.connector = connector;
    this.resolver = resolver;
    this.maxBodyBytes = maxBodyBytes;
    this.tls = tls;
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
    if (connector == null) {
      fail(
          ProbeStage.CONNECT,
          FailureKind.GENERAL,
          -1,
          false,
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
      resolver
          .resolve(url.host())
          .whenComplete((list, error) -> {
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
      connecting =
          connector.connect(route, addresses, new Destination(url.host(), url.port()), loop, left);
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
    boolean timedOut =
        has(cause, ConnectTimeoutException.class) || has(cause, SocketTimeoutException.class);
    ExitFailureException x = find(cause, ExitFailureException.class);
    String hop = firstHop();
    if (x == null) {
      fail(ProbeStage.CONNECT, kind, -1, timedOut, connectMessage(cause, hop, timedOut));
      return;
    }
    switch (x.progress()) {
      case CONNECTED ->
          fail(
              ProbeStage.HANDSHAKE,
              kind,
              -1,
              timedOut,
              timedOut ? timedOutMessage("in the handshake with the " + hop) : x.getMessage());
      case REQUEST_SENT ->
          fail(
              ProbeStage.TUNNEL,
              kind,
              x.replyCode(),
              timedOut,
              timedOut
                  ? timedOutMessage("waiting for the tunnel reply of the " + hop)
                  : x.getMessage());
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
    arm(deadline);
    if (!url.secure()) {
      exchange(ch);
      return;
    }
    stage = ProbeStage.TLS;
    Future<Channel> handshake;
    try {
      handshake = ProbeTls.start(ch, tls.get(), url);
    } catch (RuntimeException e) {
      fail(ProbeStage.TLS, FailureKind.GENERAL, -1, false, "tls: " + describe(e));
      return;
    }
    handshake.addListener(h -> {
      if (result.isDone()) {
        return;
      }
      if (h.isSuccess()) {
        ProbeTls.handshook(ch);
        exchange(ch);
      } else {
        fail(
            ProbeStage.TLS, FailureKind.GENERAL, -1, false, ProbeTls.reason(h.cause(), url.host()));
      }
    });
  }

  private void exchange(Channel ch) {
    stage = ProbeStage.REQUEST;
    new ProbeExchange(this, maxBodyBytes).begin(ch, url, headers);
  }

  // ---------------------------------------------------------------- called by ProbeExchange

  boolean isDone() {
    return result.isDone();
  }

  ProbeStage stage() {
    return stage;
  }

  /** The request is written: from now on a deadline or close is blamed on the response. */
  void requestSent() {
    if (stage == ProbeStage.REQUEST) {
      stage = ProbeStage.RESPONSE;
    }
  }

  /** The final response arrived. */
  void responded(int code, String reason, String body) {
    stage = ProbeStage.DONE;
    finish(new ProbeOutcome.Response(code, reason, body, millis()));
  }

  /** (Re)schedules the one timer to fire at {@code at}. */
  private void arm(long at) {
    if (timer != null) {
      timer.cancel(false);
    }
    timer =
        loop.schedule(
            this::deadlinePassed, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private void deadlinePassed() {
    if (result.isDone()) {
      return;
    }
    if (connecting != null && !connecting.isDone()) {
      connecting.cancel(false); // the connector overran its deadline; it closes what it opened
    }
    if (stage == ProbeStage.TLS) {
      fail(
          stage,
          FailureKind.TIMEOUT,
          -1,
          true,
          "tls: handshake timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
      return;
    }
    String what =
        switch (stage) {
          case RESOLVE -> "resolving " + url.host();
          case CONNECT -> "connecting through the " + firstHop();
          case REQUEST -> "sending the request";
          default -> "waiting for the response";
        };
    fail(stage, FailureKind.TIMEOUT, -1, true, timedOutMessage(what));
  }

  /** Ends the probe with a failure, unless it already has an outcome; closes the channel. */
  void fail(ProbeStage at, FailureKind kind, int reply, boolean timedOut, String message) {
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
      return "cannot bind the local address "
          + d.localAddress().getHostAddress()
          + ": "
          + describe(bind);
    }
    return switch (FailureKind.ofConnectError(cause)) {
      case REFUSED -> "connection refused by the " + hop;
      case HOST_UNREACHABLE -> "no route to the " + hop;
      case NETWORK_UNREACHABLE -> "network unreachable for the " + hop;
      default -> "cannot connect to the " + hop + ": " + describe(cause);
    };
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
}
