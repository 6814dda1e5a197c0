package io.sluice.engine.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.engine.exit.FailureKind;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.support.Microsocks;
import io.sluice.engine.support.TestEngine;
import io.sluice.testsupport.HttpsEcho;
import io.sluice.testsupport.TestCa;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code https} probes against real sockets: local HTTPS echoes with certificates of a throw-away
 * {@link TestCa} (one for 127.0.0.1/localhost, one for another name, one expired), reached
 * directly, through {@code microsocks} (SOCKS5) and through a Sluice engine as HTTP CONNECT
 * upstream; trusted with the CA given to {@link ProbeClient#withTrust}, untrusted without it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeClientTlsTest {

  static final String USER = "tls-user";
  static final String PASSWORD = "Tls-Pw-4711";
  static final Duration T = Duration.ofSeconds(3);
  static final String UNKNOWN = "tls: certificate unknown (PKIX path building failed)";

  ProbeClient jvmOnly;
  ProbeClient trusting;
  TestCa ca;
  HttpsEcho echo;
  HttpsEcho otherName;
  HttpsEcho expired;
  Microsocks socks;
  TestEngine httpUpstream;

  @BeforeAll
  void up() throws Exception {
    jvmOnly = ProbeClient.standalone(new DefaultThreadFactory("probe-tls-test", true));
    ca = new TestCa("Sluice Test CA");
    trusting = jvmOnly.withTrust(List.of(ca.certificate()));
    echo = new HttpsEcho("127.0.0.1", ca.issue("localhost", "127.0.0.1").sslContext());
    otherName = new HttpsEcho("127.0.0.1", ca.issue("echo.other.example").sslContext());
    expired = new HttpsEcho("127.0.0.1", ca.issueExpired("127.0.0.1").sslContext());
    httpUpstream = new TestEngine();
    httpUpstream.auth.user(USER, PASSWORD);
    if (Microsocks.binary() != null) {
      socks = Microsocks.start(null, null, "127.0.0.2");
    }
  }

  @AfterAll
  void down() throws Exception {
    if (socks != null) {
      socks.close();
    }
    httpUpstream.close();
    echo.close();
    otherName.close();
    expired.close();
    jvmOnly.close();
  }

  ExitRoute socks() {
    Assumptions.assumeTrue(socks != null, "microsocks not installed");
    return new ExitRoute.Socks5Upstream("ms", "127.0.0.1", socks.port(), null, null);
  }

  ExitRoute http() {
    return new ExitRoute.HttpUpstream("up", "127.0.0.1", httpUpstream.port("http"), USER, PASSWORD);
  }

  static ProbeOutcome get(ProbeClient client, ExitRoute route, URI url) {
    return client.get(route, url, T).orTimeout(15, TimeUnit.SECONDS).join();
  }

  static ProbeOutcome.Response response(ProbeOutcome o) {
    assertThat(o).isInstanceOf(ProbeOutcome.Response.class);
    return (ProbeOutcome.Response) o;
  }

  static ProbeOutcome.Failure tlsFailure(ProbeOutcome o) {
    assertThat(o).isInstanceOf(ProbeOutcome.Failure.class);
    ProbeOutcome.Failure f = (ProbeOutcome.Failure) o;
    assertThat(f.stage()).as(f.message()).isEqualTo(ProbeStage.TLS);
    assertThat(f.exitReached()).isTrue();
    return f;
  }

  @Test
  void directHttpsWithTheTestCaAnswers() {
    echo.sniNames.clear();
    ProbeOutcome.Response r =
        response(get(trusting, ExitRoute.direct(), echo.url("127.0.0.1", "/json")));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("\"proxy\":{\"ip\":\"127.0.0.1\"}");
    assertThat(echo.sniNames).isEmpty(); // no SNI for an IP literal
    echo.hosts.clear();
    ProbeOutcome.Response byName =
        response(get(trusting, ExitRoute.direct(), echo.url("localhost", "/ip")));
    assertThat(byName.body()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(echo.hosts).containsExactly("localhost:" + echo.port());
    assertThat(echo.sniNames).containsExactly("localhost");
  }

  @Test
  void directHttpsWithoutTheCaIsCertificateUnknown() {
    ProbeOutcome.Failure f =
        tlsFailure(get(jvmOnly, ExitRoute.direct(), echo.url("127.0.0.1", "/json")));
    assertThat(f.message()).isEqualTo(UNKNOWN);
    assertThat(f.kind()).isEqualTo(FailureKind.GENERAL);
    assertThat(f.timedOut()).isFalse();
  }

  @Test
  void aCertificateForAnotherNameIsAHostnameMismatch() {
    ProbeOutcome.Failure f =
        tlsFailure(get(trusting, ExitRoute.direct(), otherName.url("127.0.0.1", "/json")));
    assertThat(f.message())
        .isEqualTo("tls: hostname mismatch (the certificate is not valid for 127.0.0.1)");
    ProbeOutcome.Failure byName =
        tlsFailure(get(trusting, ExitRoute.direct(), otherName.url("localhost", "/json")));
    assertThat(byName.message())
        .isEqualTo("tls: hostname mismatch (the certificate is not valid for localhost)");
  }

  @Test
  void anExpiredCertificateIsNamed() {
    ProbeOutcome.Failure f =
        tlsFailure(get(trusting, ExitRoute.direct(), expired.url("127.0.0.1", "/json")));
    assertThat(f.message()).isEqualTo("tls: certificate expired");
  }

  @Test
  void throughSocks5TheHandshakeRunsInTheTunnel() {
    ProbeOutcome.Response r = response(get(trusting, socks(), echo.url("127.0.0.1", "/json")));
    assertThat(r.body()).contains("\"ip\":\"127.0.0.2\""); // microsocks leaves from 127.0.0.2
    assertThat(tlsFailure(get(jvmOnly, socks(), echo.url("127.0.0.1", "/json"))).message())
        .isEqualTo(UNKNOWN);
    assertThat(tlsFailure(get(trusting, socks(), otherName.url("localhost", "/ip"))).message())
        .startsWith("tls: hostname mismatch");
  }

  @Test
  void throughHttpConnectTheHandshakeRunsInTheTunnel() {
    ProbeOutcome.Response r = response(get(trusting, http(), echo.url("localhost", "/ip")));
    assertThat(r.status()).isEqualTo(200);
    assertThat(tlsFailure(get(jvmOnly, http(), echo.url("127.0.0.1", "/json"))).message())
        .isEqualTo(UNKNOWN);
    assertThat(tlsFailure(get(trusting, http(), otherName.url("127.0.0.1", "/ip"))).message())
        .startsWith("tls: hostname mismatch");
  }

  @Test
  void aSilentPeerIsAHandshakeTimeout() throws Exception {
    try (RawPeer silent = new RawPeer(null, false, false)) {
      URI url = URI.create(silent.url("/ip").toString().replace("http://", "https://"));
      ProbeOutcome.Failure f =
          tlsFailure(trusting.get(ExitRoute.direct(), url, Duration.ofMillis(500)).join());
      assertThat(f.message()).isEqualTo("tls: handshake timed out after 500 ms");
      assertThat(f.timedOut()).isTrue();
      assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT);
    }
  }

  @Test
  void aPlainHttpPeerFailsTheHandshake() throws Exception {
    byte[] answer = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes();
    try (RawPeer plain = new RawPeer(answer, false, true)) {
      URI url = URI.create(plain.url("/ip").toString().replace("http://", "https://"));
      ProbeOutcome.Failure f = tlsFailure(get(trusting, ExitRoute.direct(), url));
      assertThat(f.message()).isEqualTo("tls: handshake failed: the target does not speak TLS");
      assertThat(f.timedOut()).isFalse();
    }
  }

  @Test
  void aPeerThatClosesFailsTheHandshake() throws Exception {
    try (RawPeer closing = new RawPeer(new byte[0], false, true)) {
      URI url = URI.create(closing.url("/ip").toString().replace("http://", "https://"));
      ProbeOutcome.Failure f = tlsFailure(get(trusting, ExitRoute.direct(), url));
      assertThat(f.message()).isEqualTo("tls: handshake failed: connection closed by peer");
    }
  }

  @Test
  void aServerContextIsRefused() throws Exception {
    TestCa.Issued issued = ca.issue("127.0.0.1");
    var server = SslContextBuilder.forServer(issued.key(), issued.certificate()).build();
    assertThatThrownBy(() -> jvmOnly.withSslContext(server))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCallerBuiltContextStillVerifiesTheHostName() throws Exception {
    ProbeClient custom =
        jvmOnly.withSslContext(
            SslContextBuilder.forClient().trustManager(ca.certificate()).build());
    assertThat(response(get(custom, ExitRoute.direct(), echo.url("127.0.0.1", "/ip"))).status())
        .isEqualTo(200);
    assertThat(
            tlsFailure(get(custom, ExitRoute.direct(), otherName.url("127.0.0.1", "/ip")))
                .message())
        .startsWith("tls: hostname mismatch");
  }
}
