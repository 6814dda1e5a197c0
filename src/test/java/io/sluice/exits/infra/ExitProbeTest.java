package io.sluice.exits.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.engine.probe.ProbeClient;
import io.sluice.exits.domain.ProbeResult;
import io.sluice.exits.domain.ProbeTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// SEPARATE_THREAD: a probe stuck in a blocking read must fail the test, not hang the build.
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExitProbeTest {

  static final String USER = "probe-user";
  static final String PASSWORD = "s3cr3t-Pa55word";
  static final String WRONG = "wrong-Pa55word";

  ProbeClient client;
  ExitProbe probe;
  EchoServer echo;
  Microsocks socksOpen;
  Microsocks socksAuth;

  @BeforeAll
  void start() throws Exception {
    client =
        ProbeClient.standalone(Thread.ofPlatform().daemon().name("exit-probe-test-", 0).factory());
    probe = new ExitProbe(Duration.ofSeconds(3), client);
    echo = new EchoServer();
    socksOpen = Microsocks.start(null, null, "127.0.0.2");
    socksAuth = Microsocks.start(USER, PASSWORD, "127.0.0.2");
  }

  @AfterAll
  void stop() throws Exception {
    echo.close();
    if (socksOpen != null) {
      socksOpen.close();
    }
    if (socksAuth != null) {
      socksAuth.close();
    }
    client.close();
  }

  static ProbeTarget direct() {
    return new ProbeTarget("direct", null, 0, null, null, null);
  }

  static ProbeTarget socks(int port, String user, String password) {
    return new ProbeTarget("socks5", "127.0.0.1", port, user, password, null);
  }

  static ProbeTarget http(int port, String user, String password) {
    return new ProbeTarget("http", "127.0.0.1", port, user, password, null);
  }

  static int deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  static void assertNoSecret(ProbeResult r) {
    String all = String.valueOf(r);
    assertThat(all).doesNotContain(PASSWORD).doesNotContain(WRONG);
    for (String pw : new String[] {PASSWORD, WRONG}) {
      String basic =
          Base64.getEncoder().encodeToString((USER + ":" + pw).getBytes(StandardCharsets.UTF_8));
      assertThat(all).doesNotContain(basic);
    }
  }

  // ------------------------------------------------------------------ direct

  @Test
  void directJsonEchoIsHealthy() {
    ProbeResult r = probe.probe(direct(), echo.url("/json"));
    assertThat(r).isEqualTo(new ProbeResult(true, true, "127.0.0.1", r.latencyMillis(), 200, null));
    assertThat(r.latencyMillis()).isBetween(0L, 3000L);
  }

  @Test
  void directPlainTextHttpbinOriginAndChunkedEchoesAreHealthy() {
    for (String path : new String[] {"/text", "/origin", "/chunked"}) {
      ProbeResult r = probe.probe(direct(), echo.url(path));
      assertThat(r.healthy()).as(path + ": " + r).isTrue();
      assertThat(r.actualIp()).as(path).isEqualTo("127.0.0.1");
      assertThat(r.httpStatus()).isEqualTo(200);
    }
  }

  @Test
  void directBindsTheLocalAddress() throws Exception {
    ProbeTarget t =
        new ProbeTarget("direct", null, 0, null, null, InetAddress.getByName("127.0.0.4"));
    ProbeResult r = probe.probe(t, echo.url("/json"));
    assertThat(r.healthy()).as(r.toString()).isTrue();
    assertThat(r.actualIp()).isEqualTo("127.0.0.4");
  }

  @Test
  void htmlPageWithStatus200IsNotHealthy() {
    ProbeResult r = probe.probe(direct(), echo.url("/html"));
    assertThat(r)
        .isEqualTo(
            new ProbeResult(true, false, null, r.latencyMillis(), 200, "body is not an IP echo"));
  }

  @Test
  void jsonWhoseIpIsNotAnAddressIsNotHealthy() {
    ProbeResult r = probe.probe(direct(), echo.url("/notip"));
    assertThat(r.healthy()).isFalse();
    assertThat(r.error()).isEqualTo("body is not an IP echo");
  }

  @Test
  void status500IsNotHealthyAndReportsTheStatus() {
    ProbeResult r = probe.probe(direct(), echo.url("/500"));
    assertThat(r.reachable()).isTrue();
    assertThat(r.healthy()).isFalse();
    assertThat(r.httpStatus()).isEqualTo(500);
    assertThat(r.error()).startsWith("echo returned HTTP 500");
  }

  @Test
  void deadDirectPortIsUnreachable() throws IOException {
    int dead = deadPort();
    ProbeResult r = probe.probe(direct(), URI.create("http://127.0.0.1:" + dead + "/json"));
    assertThat(r.reachable()).isFalse();
    assertThat(r.healthy()).isFalse();
    assertThat(r.error())
        .isEqualTo("exit unreachable: connection refused by the target 127.0.0.1:" + dead);
  }

  @Test
  void badEchoUrlsAndExitsAreResultsNotExceptions() {
    assertThat(probe.probe(direct(), URI.create("ftp://127.0.0.1/ip")).error())
        .isEqualTo("echo URL must be http[s]://host[:port]/path");
    ProbeResult r =
        probe.probe(
            new ProbeTarget("http", "127.0.0.1", 3128, "a:b", PASSWORD, null), echo.url("/json"));
    assertThat(r.healthy()).isFalse();
    assertThat(r.error()).startsWith("invalid exit: ");
    assertNoSecret(r);
  }

  @Test
  void httpsEchoToADeadPortIsUnreachable() throws IOException {
    int dead = deadPort();
    ProbeResult r = probe.probe(direct(), URI.create("https://127.0.0.1:" + dead + "/ip"));
    assertThat(r.healthy()).isFalse();
    assertThat(r.error())
        .isEqualTo("exit unreachable: connection refused by the target 127.0.0.1:" + dead);
  }

  @Test
  @Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void timeoutIsBoundedAndTheSocketIsClosed() {
    ExitProbe quick = new ExitProbe(Duration.ofSeconds(1), client);
    long t0 = System.nanoTime();
    ProbeResult r = quick.probe(direct(), echo.url("/never"));
    long took = (System.nanoTime() - t0) / 1_000_000;
    assertThat(took).isBetween(900L, 3000L);
    assertThat(r.reachable()).isTrue();
    assertThat(r.healthy()).isFalse();
    assertThat(r.error()).isEqualTo("timeout after 1000ms");
  }

  @Test
  @Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aServerDrippingBytesCannotExtendTheDeadline() throws Exception {
    // Answers one header byte every 200 ms, forever: per-read timeouts alone would never fire.
    try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      Thread drip =
          Thread.ofVirtual()
              .start(() -> {
                try (var s = ss.accept()) {
                  RawServer.readHead(s.getInputStream());
                  while (true) {
                    s.getOutputStream().write('X');
                    s.getOutputStream().flush();
                    Thread.sleep(200);
                  }
                } catch (IOException | InterruptedException e) {
                  // probe went away
                }
              });
      long t0 = System.nanoTime();
      ProbeResult r =
          new ExitProbe(Duration.ofSeconds(1), client)
              .probe(direct(), URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/"));
      long took = (System.nanoTime() - t0) / 1_000_000;
      assertThat(took).isLessThan(3000L);
      assertThat(r.error()).isEqualTo("timeout after 1000ms");
      drip.join(3000);
      assertThat(drip.isAlive()).as("the probe closed the connection").isFalse();
    }
  }

  // ------------------------------------------------------------------ socks5

  @Test
  void socks5WithoutAuthGoesThroughTheExit() {
    ProbeResult r = probe.probe(socks(socksOpen.port(), null, null), echo.url("/json"));
    assertThat(r.healthy()).as(r.toString()).isTrue();
    // microsocks -b 127.0.0.2: the echo saw the exit's outgoing address, not ours
    assertThat(r.actualIp()).isEqualTo("127.0.0.2");
  }

  @Test
  void socks5ByHostNameUsesTheDomainAddressType() {
    ProbeResult r =
        probe.probe(
            socks(socksOpen.port(), null, null),
            URI.create("http://localhost:" + echo.port() + "/text"));
    assertThat(r.healthy()).as(r.toString()).isTrue();
    assertThat(r.actualIp()).isEqualTo("127.0.0.2");
  }

  @Test
  void socks5WithAuthGoesThroughTheExit() {
    ProbeResult r = probe.probe(socks(socksAuth.port(), USER, PASSWORD), echo.url("/json"));
    assertThat(r.healthy()).as(r.toString()).isTrue();
    assertThat(r.actualIp()).isEqualTo("127.0.0.2");
    assertNoSecret(r);
  }

  @Test
  void socks5WrongPasswordIsUnhealthyWithAClearError() {
    ProbeResult r = probe.probe(socks(socksAuth.port(), USER, WRONG), echo.url("/json"));
    assertThat(r.reachable()).isTrue();
    assertThat(r.healthy()).isFalse();
    assertThat(r.actualIp()).isNull();
    assertThat(r.error()).isEqualTo("socks5: authentication failed (wrong username or password)");
    assertNoSecret(r);
  }

  @Test
  void socks5MissingCredentialsIsUnhealthyWithAClearError() {
    ProbeResult r = probe.probe(socks(socksAuth.port(), null, null), echo.url("/json"));
    assertThat(r.healthy()).isFalse();
    assertThat(r.error())
        .isEqualTo("socks5: proxy requires authentication but no credentials are configured");
  }

  @Test
  void socks5ConnectFailureMapsTheReplyCode() throws IOException {
    int dead = deadPort();
    ProbeResult r =
        probe.probe(
            socks(socksOpen.port(), null, null), URI.create("http://127.0.0.1:" + dead + "/"));
    assertThat(r.reachable()).isTrue();
    assertThat(r.healthy()).isFalse();
    assertThat(r.error())
        .isEqualTo("socks5: CONNECT to 127.0.0.1:" + dead + " failed: connection refused (REP 5)");
  }

  @Test
  void deadSocks5ExitIsUnreachable() throws IOException {
    int dead = deadPort();
    ProbeResult r = probe.probe(socks(dead, USER, PASSWORD), echo.url("/json"));
    assertThat(r.reachable()).isFalse();
    assertThat(r.healthy()).isFalse();
    assertThat(r.error())
        .isEqualTo("exit unreachable: connection refused by the SOCKS5 exit 127.0.0.1:" + dead);
    assertNoSecret(r);
  }

  @Test
  @Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void silentSocks5ExitTimesOutAndTheSocketIsClosed() throws Exception {
    try (RawServer silent = new RawServer(null, false, false, 1)) {
      long t0 = System.nanoTime();
      ProbeResult r =
          new ExitProbe(Duration.ofSeconds(1), client)
              .probe(socks(silent.port(), USER, PASSWORD), echo.url("/json"));
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000L);
      assertThat(r.reachable()).isTrue();
      assertThat(r.error()).isEqualTo("timeout after 1000ms");
      assertThat(silent.awaitClientClosed()).as("probe closed its socket").isTrue();
    }
  }

  @Test
  void notASocksServerIsReportedAndTheSocketIsClosed() throws Exception {
    byte[] html = "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    try (RawServer http = new RawServer(html, false, false, 1)) {
      ProbeResult r = probe.probe(socks(http.port(), null, null), echo.url("/json"));
      assertThat(r.healthy()).isFalse();
      assertThat(r.reachable()).isTrue();
      assertThat(r.error()).startsWith("socks5: upstream is not a SOCKS5 server");
      assertThat(http.awaitClientClosed()).isTrue();
    }
  }

  // ------------------------------------------------------------------ http CONNECT

  @Test
  void httpConnectWithAuthGoesThroughTheExit() throws Exception {
    try (ConnectProxy proxy =
        new ConnectProxy(USER, PASSWORD, InetAddress.getByName("127.0.0.3"))) {
      ProbeResult r = probe.probe(http(proxy.port(), USER, PASSWORD), echo.url("/json"));
      assertThat(r.healthy()).as(r.toString()).isTrue();
      assertThat(r.actualIp()).isEqualTo("127.0.0.3");
      assertNoSecret(r);
      String basic =
          Base64.getEncoder()
              .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      assertThat(proxy.heads)
          .singleElement()
          .satisfies(h ->
              assertThat(h)
                  .startsWith("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\n")
                  .contains("\r\nProxy-Authorization: Basic " + basic + "\r\n"));
    }
  }

  @Test
  void httpConnectWithoutAuthGoesThroughTheExit() throws Exception {
    try (ConnectProxy proxy = new ConnectProxy(null, null, InetAddress.getByName("127.0.0.3"))) {
      ProbeResult r = probe.probe(http(proxy.port(), null, null), echo.url("/chunked"));
      assertThat(r.healthy()).as(r.toString()).isTrue();
      assertThat(r.actualIp()).isEqualTo("127.0.0.3");
      assertThat(proxy.heads)
          .singleElement()
          .satisfies(h -> assertThat(h).doesNotContain("Proxy-Authorization"));
    }
  }

  @Test
  void httpConnectWrongPasswordReportsTheStatusWithoutSecrets() throws Exception {
    try (ConnectProxy proxy = new ConnectProxy(USER, PASSWORD, null)) {
      ProbeResult r = probe.probe(http(proxy.port(), USER, WRONG), echo.url("/json"));
      assertThat(r.reachable()).isTrue();
      assertThat(r.healthy()).isFalse();
      assertThat(r.error())
          .isEqualTo(
              "http proxy CONNECT to 127.0.0.1:"
                  + echo.port()
                  + " failed: HTTP 407 (credentials rejected)");
      assertNoSecret(r);
    }
  }

  @Test
  void httpConnectUpstreamFailureReportsTheStatus() throws Exception {
    try (ConnectProxy proxy = new ConnectProxy(null, null, null)) {
      int dead = deadPort();
      ProbeResult r =
          probe.probe(http(proxy.port(), null, null), URI.create("http://127.0.0.1:" + dead + "/"));
      assertThat(r.healthy()).isFalse();
      assertThat(r.error()).contains("failed: HTTP 502");
    }
  }

  @Test
  void deadHttpExitIsUnreachable() throws IOException {
    ProbeResult r = probe.probe(http(deadPort(), USER, PASSWORD), echo.url("/json"));
    assertThat(r.reachable()).isFalse();
    assertThat(r.error())
        .startsWith("exit unreachable: connection refused by the HTTP exit 127.0.0.1:");
    assertNoSecret(r);
  }

  @Test
  void errorsNeverEchoThePasswordEvenWhenTheProxyReflectsIt() throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    byte[] evil =
        ("HTTP/1.1 403 " + PASSWORD + " " + basic + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    try (RawServer proxy = new RawServer(evil, true, true, 0)) {
      ProbeResult r = probe.probe(http(proxy.port(), USER, PASSWORD), echo.url("/json"));
      assertThat(r.error())
          .startsWith("http proxy CONNECT to 127.0.0.1:" + echo.port() + " failed: HTTP 403");
      assertNoSecret(r);
    }
  }

  // ------------------------------------------------------------------ framing and limits

  @Test
  void closeDelimitedBodyIsRead() throws Exception {
    byte[] answer =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n 203.0.113.7 \n"
            .getBytes(StandardCharsets.US_ASCII);
    try (RawServer raw = new RawServer(answer, true, true, 0)) {
      ProbeResult r = probe.probe(direct(), raw.url("/"));
      assertThat(r.healthy()).as(r.toString()).isTrue();
      assertThat(r.actualIp()).isEqualTo("203.0.113.7");
    }
  }

  @Test
  void interimResponsesAreSkippedAndIpv6EchoesAccepted() throws Exception {
    String body = "{\"ip\":\"2001:DB8:0:0::1\"}";
    byte[] answer =
        ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body)
            .getBytes(StandardCharsets.US_ASCII);
    try (RawServer raw = new RawServer(answer, true, false, 1)) {
      ProbeResult r = probe.probe(direct(), raw.url("/"));
      assertThat(r.healthy()).as(r.toString()).isTrue();
      assertThat(r.actualIp()).isEqualTo("2001:db8::1");
      assertThat(raw.awaitClientClosed()).as("probe closed its socket").isTrue();
    }
  }

  @Test
  void oversizedHeadersAreRejected() throws Exception {
    String big = "X-Filler: " + "a".repeat(17 * 1024) + "\r\n";
    byte[] answer =
        ("HTTP/1.1 200 OK\r\n" + big + "Content-Length: 7\r\n\r\n1.2.3.4")
            .getBytes(StandardCharsets.US_ASCII);
    try (RawServer raw = new RawServer(answer, true, true, 0)) {
      ProbeResult r = probe.probe(direct(), raw.url("/"));
      assertThat(r.healthy()).isFalse();
      assertThat(r.error()).isEqualTo("response headers exceed 16 KiB");
    }
  }

  @Test
  void oversizedBodiesAreRejectedWhateverTheFraming() throws Exception {
    String body = " ".repeat(65 * 1024) + "1.2.3.4";
    String[] answers = {
      "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body,
      "HTTP/1.1 200 OK\r\n\r\n" + body,
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
          + Integer.toHexString(body.length())
          + "\r\n"
          + body
          + "\r\n0\r\n\r\n"
    };
    for (String a : answers) {
      try (RawServer raw = new RawServer(a.getBytes(StandardCharsets.US_ASCII), true, true, 0)) {
        ProbeResult r = probe.probe(direct(), raw.url("/"));
        assertThat(r.healthy()).isFalse();
        assertThat(r.error()).isEqualTo("response body exceeds 64 KiB");
      }
    }
  }

  @Test
  void truncatedAndMalformedResponsesAreErrors() throws Exception {
    String[][] cases = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n1.2.3.4", "response body truncated"},
      {"SSH-2.0-OpenSSH_9.6\r\n\r\n", "malformed HTTP response"},
      {"", "connection closed by peer"}
    };
    for (String[] c : cases) {
      try (RawServer raw = new RawServer(c[0].getBytes(StandardCharsets.US_ASCII), true, true, 0)) {
        ProbeResult r = probe.probe(direct(), raw.url("/"));
        assertThat(r.healthy()).isFalse();
        assertThat(r.error()).as(c[0]).startsWith(c[1]);
      }
    }
  }

  // ------------------------------------------------------------------ target

  @Test
  void targetToStringNeverPrintsThePassword() {
    ProbeTarget t = socks(1080, USER, PASSWORD);
    assertThat(t.toString()).doesNotContain(PASSWORD).contains("password=***").contains(USER);
    assertThat(new ProbeTarget("SOCKS5", "h", 1, null, null, null).kind()).isEqualTo("socks5");
  }

  @Test
  void targetValidation() {
    assertThatThrownBy(() -> new ProbeTarget("ftp", "h", 1, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ProbeTarget("socks5", null, 1080, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ProbeTarget("http", "h", 0, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExitProbe(Duration.ZERO, client))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
