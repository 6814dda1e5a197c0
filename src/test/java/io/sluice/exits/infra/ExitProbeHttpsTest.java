package io.sluice.exits.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.probe.ProbeClient;
import io.sluice.engine.support.LogCapture;
import io.sluice.exits.domain.ProbeResult;
import io.sluice.exits.domain.ProbeTarget;
import io.sluice.testsupport.HttpsEcho;
import io.sluice.testsupport.TestCa;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * https echo checks end to end in the product layer: the CA bundle of {@code
 * sluice.exits.check-ca-file} read by {@link ExitProbes}, a local HTTPS echo answering Decodo's
 * {@code {"proxy":{"ip":...}}}, through direct, microsocks (SOCKS5) and an HTTP CONNECT proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExitProbeHttpsTest {

  static final String UNKNOWN = "tls: certificate unknown (PKIX path building failed)";

  @TempDir static Path dir;

  ProbeClient engineClient;
  TestCa ca;
  HttpsEcho echo;
  HttpsEcho otherName;
  Microsocks socks;
  ExitProbe trusted;
  ExitProbe jvmOnly;

  @BeforeAll
  void start() throws Exception {
    engineClient =
        ProbeClient.standalone(Thread.ofPlatform().daemon().name("https-probe-test-", 0).factory());
    ca = new TestCa("Sluice Exit Check Test CA");
    echo = new HttpsEcho("127.0.0.1", ca.issue("localhost", "127.0.0.1").sslContext());
    otherName = new HttpsEcho("127.0.0.1", ca.issue("not-this-host.example").sslContext());
    socks = Microsocks.start(null, null, "127.0.0.2");
    Path bundle = dir.resolve("check-ca.pem");
    // a bundle of two: an unrelated CA first, then the one that signed the echo's certificate
    Files.writeString(
        bundle, new TestCa("Unrelated CA").pem() + ca.pem(), StandardCharsets.US_ASCII);
    trusted =
        new ExitProbe(Duration.ofSeconds(3), probes(bundle.toString()).trusting(engineClient));
    jvmOnly = new ExitProbe(Duration.ofSeconds(3), engineClient);
  }

  @AfterAll
  void stop() throws Exception {
    echo.close();
    otherName.close();
    if (socks != null) {
      socks.close();
    }
    engineClient.close();
  }

  static ExitProbes probes(String caFile) {
    ExitProbes p = new ExitProbes();
    p.timeoutSeconds = 3;
    p.caFile = Optional.ofNullable(caFile);
    return p;
  }

  static ProbeTarget direct() {
    return new ProbeTarget("direct", null, 0, null, null, null);
  }

  @Test
  void directHttpsCheckWithTheBundleIsHealthyAndReadsDecodosShape() {
    ProbeResult r = trusted.probe(direct(), echo.url("127.0.0.1", "/json"));
    assertThat(r.healthy()).as(r.toString()).isTrue();
    assertThat(r.actualIp()).isEqualTo("127.0.0.1");
    assertThat(r.httpStatus()).isEqualTo(200);
  }

  @Test
  void withoutTheBundleTheCertificateIsUnknown() {
    ProbeResult r = jvmOnly.probe(direct(), echo.url("127.0.0.1", "/json"));
    assertThat(r.healthy()).isFalse();
    assertThat(r.reachable()).isTrue();
    assertThat(r.error()).isEqualTo(UNKNOWN);
  }

  @Test
  void aCertificateForAnotherNameIsAHostnameMismatch() {
    ProbeResult r = trusted.probe(direct(), otherName.url("localhost", "/json"));
    assertThat(r.healthy()).isFalse();
    assertThat(r.error())
        .isEqualTo("tls: hostname mismatch (the certificate is not valid for localhost)");
  }

  @Test
  void throughSocks5() {
    ProbeTarget exit = new ProbeTarget("socks5", "127.0.0.1", socks.port(), null, null, null);
    ProbeResult ok = trusted.probe(exit, echo.url("localhost", "/json"));
    assertThat(ok.healthy()).as(ok.toString()).isTrue();
    assertThat(ok.actualIp()).isEqualTo("127.0.0.2");
    assertThat(jvmOnly.probe(exit, echo.url("localhost", "/json")).error()).isEqualTo(UNKNOWN);
    assertThat(trusted.probe(exit, otherName.url("127.0.0.1", "/json")).error())
        .startsWith("tls: hostname mismatch");
  }

  @Test
  void throughHttpConnect() throws Exception {
    try (ConnectProxy proxy =
        new ConnectProxy("u", "Pw-12345", InetAddress.getByName("127.0.0.3"))) {
      ProbeTarget exit = new ProbeTarget("http", "127.0.0.1", proxy.port(), "u", "Pw-12345", null);
      ProbeResult ok = trusted.probe(exit, echo.url("127.0.0.1", "/ip"));
      assertThat(ok.healthy()).as(ok.toString()).isTrue();
      assertThat(ok.actualIp()).isEqualTo("127.0.0.3");
      assertThat(proxy.heads.getFirst()).startsWith("CONNECT 127.0.0.1:" + echo.port() + " ");
      assertThat(jvmOnly.probe(exit, echo.url("127.0.0.1", "/ip")).error()).isEqualTo(UNKNOWN);
    }
  }

  @Test
  void anUnreadableBundleIsLoggedAndChecksTrustTheJvmOnly() throws Exception {
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(
        garbage, "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
    try (LogCapture log = new LogCapture()) {
      assertThat(probes(dir.resolve("missing.pem").toString()).trusting(engineClient))
          .isSameAs(engineClient);
      assertThat(probes(garbage.toString()).trusting(engineClient)).isSameAs(engineClient);
      Path empty = Files.writeString(dir.resolve("empty.pem"), "");
      assertThat(probes(empty.toString()).trusting(engineClient)).isSameAs(engineClient);
      assertThat(log.lines).filteredOn(l -> l.contains("SLUICE0620E")).hasSize(3);
    }
    assertThat(probes(null).trusting(engineClient)).isSameAs(engineClient);
    assertThat(probes("  ").trusting(engineClient)).isSameAs(engineClient);
  }
}
