package io.sluice.engine.probe;

import static io.sluice.engine.probe.ProbeText.describe;
import static io.sluice.engine.probe.ProbeText.find;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import java.nio.channels.ClosedChannelException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS of {@code https} probes: the client {@link SslContext}s (JDK provider; the JVM's default
 * trust store, optionally plus extra CA certificates), the {@link SslHandler} a probe puts on the
 * tunnel channel (SNI = the URL host when it is a name, host name verification with the endpoint
 * identification algorithm {@code HTTPS}), and stable, readable failure reasons ({@code tls: ...}).
 * Stateless.
 */
final class ProbeTls {

  static final String HANDLER = "probe-tls";
  private static final String GUARD = "probe-tls-guard";
  private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");

  private ProbeTls() {}

  /** A client context trusting the JVM's default trust store only. */
  static SslContext defaultContext() {
    try {
      return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS: " + describe(e), e);
    }
  }

  /**
   * A client context trusting the JVM's default trust store plus {@code extraCas}.
   *
   * @throws IllegalStateException when the JVM's trust store cannot be read or the context not
   *     built
   */
  static SslContext context(Collection<X509Certificate> extraCas) {
    if (extraCas.isEmpty()) {
      return defaultContext();
    }
    try {
      TrustManagerFactory jvm =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jvm.init((KeyStore) null);
      List<X509Certificate> anchors = new ArrayList<>();
      for (var tm : jvm.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          anchors.addAll(List.of(x.getAcceptedIssuers()));
        }
      }
      anchors.addAll(extraCas);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int n = 0;
      for (X509Certificate c : anchors) {
        store.setCertificateEntry("ca-" + n++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(tmf).build();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot set up TLS trust: " + describe(e), e);
    }
  }

  /**
   * Puts the TLS handler (and a guard that keeps handshake errors from reaching the pipeline's
   * tail) on {@code ch}; the handshake starts at once. The returned future tells its end; {@link
   * #handshook} removes the guard.
   */
  static Future<Channel> start(Channel ch, SslContext context, ProbeUrl url) {
    SslHandler tls = context.newHandler(ch.alloc(), url.host(), url.port());
    SSLEngine engine = tls.engine();
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    if (!NetUtil.isValidIpV4Address(url.host()) && !NetUtil.isValidIpV6Address(url.host())) {
      try {
        params.setServerNames(List.of(new SNIHostName(url.host())));
      } catch (IllegalArgumentException e) {
        // not a valid SNI name (e.g. an underscore): no SNI; verification still checks the name
      }
    }
    engine.setSSLParameters(params);
    tls.setHandshakeTimeoutMillis(0); // the probe's one deadline covers the handshake
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false); // a FIN ends the handshake
    ch.config().setAutoRead(true);
    ch.pipeline().addLast(HANDLER, tls);
    ch.pipeline().addLast(GUARD, new Guard());
    return tls.handshakeFuture();
  }

  /** After a successful handshake: the HTTP exchange takes over the pipeline's errors. */
  static void handshook(Channel ch) {
    if (ch.pipeline().get(GUARD) != null) {
      ch.pipeline().remove(GUARD);
    }
  }

  /** The reason of a failed handshake, {@code tls: ...}; {@code host} is the URL's host. */
  static String reason(Throwable cause, String host) {
    if (find(cause, CertPathBuilderException.class) != null) {
      return "tls: certificate unknown (PKIX path building failed)";
    }
    if (find(cause, CertificateExpiredException.class) != null) {
      return "tls: certificate expired";
    }
    if (find(cause, CertificateNotYetValidException.class) != null) {
      return "tls: certificate not yet valid";
    }
    CertPathValidatorException invalid = find(cause, CertPathValidatorException.class);
    if (invalid != null) {
      return switch (invalid.getReason()) {
        case CertPathValidatorException.BasicReason.EXPIRED -> "tls: certificate expired";
        case CertPathValidatorException.BasicReason.NOT_YET_VALID ->
            "tls: certificate not yet valid";
        case CertPathValidatorException.BasicReason.REVOKED -> "tls: certificate revoked";
        default -> "tls: certificate rejected (" + describe(invalid) + ")";
      };
    }
    CertificateException cert = find(cause, CertificateException.class);
    if (cert != null && cert.getMessage() != null) {
      String m = cert.getMessage();
      if (m.startsWith("No subject alternative") || m.startsWith("No name matching")) {
        return "tls: hostname mismatch (the certificate is not valid for " + host + ")";
      }
      return "tls: certificate rejected (" + describe(cert) + ")";
    }
    if (find(cause, NotSslRecordException.class) != null) {
      return "tls: handshake failed: the target does not speak TLS";
    }
    if (find(cause, ClosedChannelException.class) != null) {
      return "tls: handshake failed: connection closed by peer";
    }
    SSLException ssl = find(cause, SSLException.class);
    String message = ssl != null ? ssl.getMessage() : cause.getMessage();
    if (message != null) {
      Matcher alert = ALERT.matcher(message);
      if (alert.find()) {
        return "tls: handshake failed: " + alert.group(1).toLowerCase(Locale.ROOT);
      }
      if (message.toLowerCase(Locale.ROOT).contains("closed")) {
        return "tls: handshake failed: connection closed by peer";
      }
    }
    return "tls: handshake failed: " + describe(ssl != null ? ssl : cause);
  }

  /**
   * Swallows handshake errors and closes on the peer's FIN: the handshake future reports both to
   * the probe.
   */
  private static final class Guard extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        ctx.close();
      }
      ctx.fireUserEventTriggered(evt);
    }
  }
}
