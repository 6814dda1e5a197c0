package io.sluice.engine.probe;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.sluice.engine.exit.ExitConnectors;
import io.sluice.engine.net.HostResolver;
import io.sluice.engine.net.JdkHostResolver;
import io.sluice.engine.net.Transport;
import io.sluice.engine.spi.ExitRoute;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends one HTTP/1.1 {@code GET} through an exit and reports the {@link ProbeOutcome}: the
 * connection is opened by the {@link ExitConnectors} connector of the route (the code that carries
 * user traffic: direct, upstream SOCKS5, upstream HTTP CONNECT), then Netty's {@link
 * io.netty.handler.codec.http.HttpClientCodec} and {@link
 * io.netty.handler.codec.http.HttpObjectAggregator} talk HTTP on it.
 *
 * <p>Non-blocking: each probe runs on one event loop of the group (no thread per probe); one
 * deadline covers name resolution, connect, proxy handshake, request and the whole response,
 * enforced by the event loop. The returned future always completes (never exceptionally for network
 * problems), on the event loop: dependent stages that block or take long must use the {@code
 * *Async} variants. The connection is closed when the outcome is known.
 *
 * <p>No destination policy applies: probes go where the operator's configuration says (the default
 * echo URL is this server's own loopback port). A direct route's target name is resolved with the
 * given resolver; an upstream route sends the name to the proxy unresolved, as sessions do. Limits:
 * response head {@value #MAX_HEADER_BYTES} bytes, body {@code maxBodyBytes} (default {@value
 * #DEFAULT_MAX_BODY_BYTES}).
 *
 * <p>{@code https} URLs: once the connector has the tunnel (direct, SOCKS5 CONNECT, HTTP CONNECT),
 * a TLS handshake runs on it (Netty's {@code SslHandler}, JDK provider) within the same deadline,
 * in stage {@link ProbeStage#TLS}: SNI is the URL host when it is a name, the certificate chain is
 * verified against the client's trust (the JVM's default trust store, plus the extra CA
 * certificates of {@link #withTrust}, or the context of {@link #withSslContext}) and the host name
 * against the certificate (endpoint identification {@code HTTPS}, also for a context given by the
 * caller). Failures read {@code tls: certificate unknown (PKIX path building failed)}, {@code tls:
 * hostname mismatch (...)}, {@code tls: certificate expired}, {@code tls: handshake timed out after
 * N ms}, {@code tls: handshake failed: <alert or cause>}.
 *
 * <p>Thread-safe.
 */
public final class ProbeClient implements AutoCloseable {

  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
  public static final int MAX_HEADER_BYTES = 16 * 1024;

  private final EventLoopGroup group;
  private final ExitConnectors connectors;
  private final HostResolver resolver;
  private final int maxBodyBytes;
  private final Runnable onClose;
  private final Supplier<SslContext> tls;

  /**
   * A client on a group owned by someone else (usually the engine's, see {@code
   * ProxyEngine#probeClient()}); {@link #close()} leaves group and resolver alone.
   */
  public ProbeClient(EventLoopGroup group, ExitConnectors connectors, HostResolver resolver) {
    this(group, connectors, resolver, DEFAULT_MAX_BODY_BYTES);
  }

  public ProbeClient(
      EventLoopGroup group, ExitConnectors connectors, HostResolver resolver, int maxBodyBytes) {
    this(group, connectors, resolver, maxBodyBytes, () -> {}, new DefaultTls());
  }

  private ProbeClient(
      EventLoopGroup group,
      ExitConnectors connectors,
      HostResolver resolver,
      int maxBodyBytes,
      Runnable onClose,
      Supplier<SslContext> tls) {
    this.group = Objects.requireNonNull(group, "group");
    this.connectors = Objects.requireNonNull(connectors, "connectors");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
    this.onClose = onClose;
    this.tls = tls;
  }

  /**
   * A client with its own single event loop and resolver threads from {@code threads}, and the
   * {@linkplain ExitConnectors#standard standard connectors}; {@link #close()} shuts them down. For
   * tools and tests; inside the server use the engine's client.
   */
  public static ProbeClient standalone(ThreadFactory threads) {
    Transport transport = Transport.select(true);
    EventLoopGroup group = transport.newGroup(1, threads);
    JdkHostResolver resolver = new JdkHostResolver(threads, 2, 256);
    return new ProbeClient(
        group,
        ExitConnectors.standard(transport.socketChannel(), resolver::resolve),
        resolver,
        DEFAULT_MAX_BODY_BYTES,
        () -> {
          group
              .shutdownGracefully(0, 1, TimeUnit.SECONDS)
              .awaitUninterruptibly(3, TimeUnit.SECONDS);
          resolver.close();
        },
        new DefaultTls());
  }

  /**
   * A client like this one (same event loops, connectors, resolver and limits) whose {@code https}
   * probes trust the JVM's default trust store plus {@code extraCas} (e.g. an operator's PEM bundle
   * of private CAs). Its {@link #close()} does nothing; close this client when done.
   *
   * @throws IllegalStateException when the trust cannot be built (JVM trust store unreadable)
   */
  public ProbeClient withTrust(Collection<X509Certificate> extraCas) {
    return withSslContext(ProbeTls.context(List.copyOf(extraCas)));
  }

  /**
   * A client like this one whose {@code https} probes use {@code context}, a client context the
   * caller built (its trust and protocols; SNI and host name verification are still applied per
   * probe). Its {@link #close()} does nothing; close this client when done.
   */
  public ProbeClient withSslContext(SslContext context) {
    Objects.requireNonNull(context, "context");
    if (!context.isClient()) {
      throw new IllegalArgumentException("not a client SslContext");
    }
    return new ProbeClient(group, connectors, resolver, maxBodyBytes, () -> {}, () -> context);
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** {@code GET url} through {@code route} within {@code timeout}. */
  public CompletableFuture<ProbeOutcome> get(ExitRoute route, URI url, Duration timeout) {
    return get(route, url, timeout, Map.of());
  }

  /**
   * {@code GET url} through {@code route} within {@code timeout}, with extra request {@code
   * headers} (e.g. {@code Accept}); {@code Host} and {@code Connection: close} are always set.
   *
   * @throws IllegalArgumentException for a timeout that is not positive or a header with control
   *     characters (programming errors; network problems are outcomes)
   */
  public CompletableFuture<ProbeOutcome> get(
      ExitRoute route, URI url, Duration timeout, Map<String, String> headers) {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(headers, "headers");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("probe timeout must be positive: " + timeout);
    }
    headers.forEach((name, value) -> {
      if (name.isEmpty()
          || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')
          || !value.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
        throw new IllegalArgumentException("bad request header " + name);
      }
    });
    Probe probe =
        new Probe(
            route,
            url,
            timeout,
            Map.copyOf(headers),
            group.next(),
            connectors.forRoute(route),
            resolver,
            maxBodyBytes,
            tls);
    probe.start();
    return probe.result();
  }

  /** The JVM-trust context, built on the first {@code https} probe (reading the trust store). */
  private static final class DefaultTls implements Supplier<SslContext> {
    private volatile SslContext context;

    @Override
    public SslContext get() {
      SslContext c = context;
      if (c == null) {
        synchronized (this) {
          c = context;
          if (c == null) {
            c = ProbeTls.defaultContext();
            context = c;
          }
        }
      }
      return c;
    }
  }

  /** Releases the group and resolver of a {@link #standalone} client; otherwise nothing. */
  @Override
  public void close() {
    onClose.run();
  }
}
