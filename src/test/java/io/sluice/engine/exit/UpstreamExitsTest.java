package io.sluice.engine.exit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.SessionView;
import io.sluice.engine.support.FakeSocks5Upstream;
import io.sluice.engine.support.HttpOrigin;
import io.sluice.engine.support.LogCapture;
import io.sluice.engine.support.Microsocks;
import io.sluice.engine.support.RawHttp;
import io.sluice.engine.support.Socks5Client;
import io.sluice.engine.support.TcpEcho;
import io.sluice.engine.support.TestEngine;
import io.sluice.engine.support.UdpEcho;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Upstream exits end to end: SOCKS5/HTTP client -> Sluice -> microsocks (real SOCKS5 server, Debian
 * package {@code microsocks}) or a second engine as upstream HTTP proxy -> fixtures.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamExitsTest {

  static final String MS_USER = "exituser";
  static final String MS_PASS = "Ms-Upstream-Pw-7781";
  static final String WRONG_PASS = "Wrong-Upstream-Pw-4410";
  static final String HTTP_EXIT_PASS = "Http-Exit-Pw-5532";

  /** Returns the first configured route not excluded; records reports. */
  static final class ListSelector implements ExitSelector {
    volatile List<ExitRoute> routes = List.of();
    final List<String> reports = new CopyOnWriteArrayList<>();
    final List<Set<String>> exclusions = new CopyOnWriteArrayList<>();

    @Override
    public ExitRoute select(ProxyPrincipal p, ConnectionInfo c, Destination d) {
      return routes.isEmpty() ? null : routes.get(0);
    }

    @Override
    public ExitRoute select(
        ProxyPrincipal p, ConnectionInfo c, Destination d, Set<String> excluded) {
      exclusions.add(Set.copyOf(excluded));
      return routes.stream().filter(r -> !excluded.contains(r.id())).findFirst().orElse(null);
    }

    @Override
    public void report(ExitRoute route, boolean success, long nanos) {
      assertThat(nanos).isNotNegative();
      reports.add(route.id() + ":" + success);
    }
  }

  static final ListSelector selector = new ListSelector();
  static LogCapture logs;
  static TestEngine t;
  static TestEngine upstreamHttp;
  static Microsocks msOpen;
  static Microsocks msAuth;
  static TcpEcho echo;
  static HttpOrigin origin;
  static FakeSocks5Upstream fake;
  static int deadPort;

  @BeforeAll
  static void up() throws Exception {
    logs = new LogCapture();
    t = new TestEngine(b -> b.connectTimeout(Duration.ofSeconds(3)), selector);
    upstreamHttp = new TestEngine();
    upstreamHttp.auth.user("exit", HTTP_EXIT_PASS);
    echo = new TcpEcho();
    origin = new HttpOrigin();
    fake = new FakeSocks5Upstream();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      deadPort = s.getLocalPort();
    }
    if (Microsocks.binary() != null) {
      msOpen = Microsocks.start(null, null);
      msAuth = Microsocks.start(MS_USER, MS_PASS);
    }
  }

  @AfterAll
  static void down() throws Exception {
    try {
      assertNoSecretsLogged();
    } finally {
      if (msOpen != null) {
        msOpen.close();
      }
      if (msAuth != null) {
        msAuth.close();
      }
      fake.close();
      origin.close();
      echo.close();
      upstreamHttp.close();
      t.close();
      logs.close();
    }
  }

  @BeforeEach
  void reset() {
    selector.reports.clear();
    selector.exclusions.clear();
    fake.requests.clear();
    fake.rep = 0;
    fake.banner = "";
  }

  static void assertNoSecretsLogged() {
    String b64 =
        Base64.getEncoder()
            .encodeToString(("exit:" + HTTP_EXIT_PASS).getBytes(StandardCharsets.UTF_8));
    assertThat(logs.lines).isNotEmpty();
    for (String line : logs.lines) {
      assertThat(line)
          .doesNotContain(MS_PASS)
          .doesNotContain(WRONG_PASS)
          .doesNotContain(HTTP_EXIT_PASS)
          .doesNotContain(b64);
    }
  }

  static void requireMicrosocks() {
    Assumptions.assumeTrue(msOpen != null, "microsocks not installed (apt-get install microsocks)");
  }

  static ExitRoute msOpenRoute() {
    return new ExitRoute.Socks5Upstream("ms-open", "127.0.0.1", msOpen.port(), null, null);
  }

  static ExitRoute msAuthRoute(String password) {
    return new ExitRoute.Socks5Upstream(
        MS_PASS.equals(password) ? "ms-auth" : "ms-auth-wrong",
        "127.0.0.1",
        msAuth.port(),
        MS_USER,
        password);
  }

  static ExitRoute httpRoute(String password) {
    return new ExitRoute.HttpUpstream(
        "http-up", "127.0.0.1", upstreamHttp.port("http"), "exit", password);
  }

  static ExitRoute dead(String id) {
    return new ExitRoute.Socks5Upstream(id, "127.0.0.1", deadPort, MS_USER, MS_PASS);
  }

  static Socks5Client socks() throws IOException {
    return new Socks5Client(t.port("socks")).authenticated("alice", "secret");
  }

  static void assertEchoes(Socks5Client c, String text) throws IOException {
    byte[] msg = text.getBytes(StandardCharsets.US_ASCII);
    c.out.write(msg);
    assertThat(new String(c.read(msg.length), StandardCharsets.US_ASCII)).isEqualTo(text);
  }

  static SessionView liveSession(String protocol) {
    return t.engine.sessions().stream()
        .filter(s -> s.protocol().equals(protocol))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void socks5ThroughMicrosocksWithoutAuth() throws IOException {
    requireMicrosocks();
    selector.routes = List.of(msOpenRoute());
    try (Socks5Client c = socks()) {
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(c.reply().rep()).isZero();
      assertEchoes(c, "through microsocks");
      SessionView s = liveSession("socks5-connect");
      assertThat(s.exit().id()).isEqualTo("ms-open");
    }
    assertThat(selector.reports).containsExactly("ms-open:true");
  }

  @Test
  void socks5ThroughMicrosocksWithAuthByName() throws IOException {
    requireMicrosocks();
    ExitRoute route = msAuthRoute(MS_PASS);
    selector.routes = List.of(route);
    try (Socks5Client c = socks()) {
      c.requestDomain(1, "localhost", echo.port());
      assertThat(c.reply().rep()).isZero();
      assertEchoes(c, "through microsocks with a password");
      SessionView s = liveSession("socks5-connect");
      assertThat(s.exit()).isEqualTo(route);
      assertThat(s.exit().id()).isEqualTo("ms-auth");
      assertThat(String.valueOf(s)).doesNotContain(MS_PASS);
      assertThat(String.valueOf(s.exit()))
          .doesNotContain(MS_PASS)
          .contains("***")
          .contains(MS_USER);
    }
    assertThat(selector.reports).containsExactly("ms-auth:true");
  }

  @Test
  void routesNeverPrintPasswords() {
    ExitRoute s5 = new ExitRoute.Socks5Upstream("a", "h", 1, "u", MS_PASS);
    ExitRoute http = new ExitRoute.HttpUpstream("b", "h", 2, "u", HTTP_EXIT_PASS);
    assertThat(s5.toString()).doesNotContain(MS_PASS).contains("id=a");
    assertThat(http.toString()).doesNotContain(HTTP_EXIT_PASS).contains("id=b");
    assertThat(new ExitRoute.HttpUpstream("c", "h", 3, null, null).toString())
        .contains("password=null");
  }

  @Test
  void domainGoesUpstreamUnresolvedAfterLocalPolicyCheck() throws IOException {
    selector.routes =
        List.of(new ExitRoute.Socks5Upstream("fake", "127.0.0.1", fake.port(), null, null));
    t.policy.checked.clear();
    try (Socks5Client c = socks()) {
      c.requestDomain(1, "localhost", echo.port());
      assertThat(c.reply().rep()).isZero();
      assertEchoes(c, "by name");
    }
    assertThat(fake.requests)
        .containsExactly(new FakeSocks5Upstream.Request(3, "localhost", echo.port()));
    assertThat(t.policy.checked).anySatisfy(a -> assertThat(a.getPort()).isEqualTo(echo.port()));
    try (Socks5Client c = socks()) {
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(c.reply().rep()).isZero();
    }
    assertThat(fake.requests)
        .last()
        .isEqualTo(new FakeSocks5Upstream.Request(1, "127.0.0.1", echo.port()));
  }

  @Test
  void deniedDestinationNeverReachesTheExit() throws IOException {
    selector.routes =
        List.of(new ExitRoute.Socks5Upstream("fake", "127.0.0.1", fake.port(), null, null));
    t.policy.deniedPorts.add(echo.port());
    try (Socks5Client c = socks()) {
      c.requestDomain(1, "localhost", echo.port());
      assertThat(c.reply().rep()).isEqualTo(2);
    } finally {
      t.policy.deniedPorts.clear();
    }
    assertThat(fake.requests).isEmpty();
    assertThat(selector.reports).isEmpty();
  }

  @Test
  void bytesAfterTheUpstreamReplyAreKept() throws IOException {
    selector.routes =
        List.of(new ExitRoute.Socks5Upstream("fake", "127.0.0.1", fake.port(), null, null));
    fake.banner = "220 banner\r\n";
    try (Socks5Client c = socks()) {
      c.requestDomain(1, "localhost", echo.port());
      assertThat(c.reply().rep()).isZero();
      assertThat(new String(c.read(12), StandardCharsets.US_ASCII)).isEqualTo("220 banner\r\n");
      assertEchoes(c, "after banner");
    }
  }

  @Test
  void upstreamRepIsPassedOnAndFailsOver() throws IOException {
    selector.routes =
        List.of(new ExitRoute.Socks5Upstream("fake", "127.0.0.1", fake.port(), null, null));
    fake.rep = 5;
    try (Socks5Client c = socks()) {
      c.requestDomain(1, "localhost", echo.port());
      assertThat(c.reply().rep()).isEqualTo(5);
    }
    assertThat(selector.reports).containsExactly("fake:false");
    assertThat(selector.exclusions).containsExactly(Set.of(), Set.of("fake"));
  }

  @Test
  void wrongUpstreamCredentialsFailOverToTheNextExit() throws IOException {
    requireMicrosocks();
    selector.routes = List.of(msAuthRoute(WRONG_PASS), msOpenRoute());
    try (Socks5Client c = socks()) {
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(c.reply().rep()).isZero();
      assertEchoes(c, "second exit");
      assertThat(liveSession("socks5-connect").exit().id()).isEqualTo("ms-open");
    }
    assertThat(selector.reports).containsExactly("ms-auth-wrong:false", "ms-open:true");
    assertThat(logs.lines)
        .anySatisfy(l -> assertThat(l).contains("ms-auth-wrong").contains("credentials"));
  }

  @Test
  void wrongUpstreamCredentialsAloneIsGeneralFailure() throws IOException {
    requireMicrosocks();
    selector.routes = List.of(msAuthRoute(WRONG_PASS));
    try (Socks5Client c = socks()) {
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(c.reply().rep()).isEqualTo(1);
    }
    assertThat(t.events.connects).contains("socks5-connect:exit_auth");
  }

  @Test
  void deadFirstExitThenSecondIsUsed() throws IOException {
    requireMicrosocks();
    selector.routes = List.of(dead("dead-1"), msOpenRoute());
    try (Socks5Client c = socks()) {
      c.requestDomain(1, "localhost", echo.port());
      assertThat(c.reply().rep()).isZero();
      assertEchoes(c, "after failover");
      assertThat(liveSession("socks5-connect").exit().id()).isEqualTo("ms-open");
    }
    assertThat(selector.reports).containsExactly("dead-1:false", "ms-open:true");
  }

  @Test
  void allExitsDeadWithinTheRetryBudget() throws IOException {
    selector.routes = List.of(dead("d1"), dead("d2"), dead("d3"), dead("d4"));
    try (Socks5Client c = socks()) {
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(c.reply().rep()).isEqualTo(1);
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(selector.reports).containsExactly("d1:false", "d2:false", "d3:false");
    selector.reports.clear();
    try (RawHttp h = new RawHttp(t.port("http"))) {
      h.send(
          "CONNECT 127.0.0.1:"
              + echo.port()
              + " HTTP/1.1\r\nHost: x\r\nProxy-Authorization: "
              + RawHttp.basic("alice", "secret")
              + "\r\n\r\n");
      assertThat(h.read(true).status()).isEqualTo(502);
    }
    assertThat(selector.reports).containsExactly("d1:false", "d2:false", "d3:false");
  }

  @Test
  void noExitAvailable() throws IOException {
    selector.routes = List.of();
    try (Socks5Client c = socks()) {
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(c.reply().rep()).isEqualTo(1);
    }
    try (RawHttp h = new RawHttp(t.port("http"))) {
      h.send(
          "CONNECT 127.0.0.1:"
              + echo.port()
              + " HTTP/1.1\r\nHost: x\r\nProxy-Authorization: "
              + RawHttp.basic("alice", "secret")
              + "\r\n\r\n");
      assertThat(h.read(true).status()).isEqualTo(503);
    }
    assertThat(selector.reports).isEmpty();
  }

  @Test
  void httpConnectThroughUpstreamHttpProxy() throws IOException {
    selector.routes = List.of(httpRoute(HTTP_EXIT_PASS));
    try (RawHttp h = new RawHttp(t.port("http"))) {
      h.send(
          "CONNECT localhost:"
              + echo.port()
              + " HTTP/1.1\r\nHost: x\r\nProxy-Authorization: "
              + RawHttp.basic("alice", "secret")
              + "\r\n\r\n");
      assertThat(h.read(true).status()).isEqualTo(200);
      assertThat(liveSession("http-connect").exit().id()).isEqualTo("http-up");
      h.send("ping");
      assertThat(new String(h.in().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
    }
    assertThat(selector.reports).containsExactly("http-up:true");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> upstreamHttp.events.connects.contains("http-connect:ok"));
  }

  @Test
  void socks5ThroughUpstreamHttpProxy() throws IOException {
    selector.routes = List.of(httpRoute(HTTP_EXIT_PASS));
    try (Socks5Client c = socks()) {
      c.requestDomain(1, "localhost", echo.port());
      assertThat(c.reply().rep()).isZero();
      assertEchoes(c, "socks in, http out");
    }
  }

  @Test
  void upstreamHttp407IsExitAuthAndFailsOver() throws IOException {
    selector.routes = List.of(httpRoute(WRONG_PASS));
    try (RawHttp h = new RawHttp(t.port("http"))) {
      h.send(
          "CONNECT localhost:"
              + echo.port()
              + " HTTP/1.1\r\nHost: x\r\nProxy-Authorization: "
              + RawHttp.basic("alice", "secret")
              + "\r\n\r\n");
      assertThat(h.read(true).status()).isEqualTo(502);
    }
    assertThat(selector.reports).containsExactly("http-up:false");
    assertThat(t.events.connects).contains("http-connect:exit_auth");
    requireMicrosocks();
    selector.reports.clear();
    selector.routes = List.of(httpRoute(WRONG_PASS), msOpenRoute());
    try (Socks5Client c = socks()) {
      c.requestDomain(1, "localhost", echo.port());
      assertThat(c.reply().rep()).isZero();
      assertEchoes(c, "after 407");
    }
    assertThat(selector.reports).containsExactly("http-up:false", "ms-open:true");
  }

  @Test
  void curlThroughUpstreamHttpProxy() throws Exception {
    Assumptions.assumeTrue(new java.io.File("/usr/bin/curl").canExecute(), "curl not installed");
    selector.routes = List.of(httpRoute(HTTP_EXIT_PASS));
    String proxy = "http://alice:secret@127.0.0.1:" + t.port("http");
    assertThat(curl("-x", proxy, "http://127.0.0.1:" + origin.port() + "/forwarded"))
        .isEqualTo("hello /forwarded");
    assertThat(curl("-p", "-x", proxy, "http://localhost:" + origin.port() + "/tunnelled"))
        .isEqualTo("hello /tunnelled");
    assertThat(selector.reports).containsExactly("http-up:true", "http-up:true");
  }

  @Test
  void curlThroughMicrosocks() throws Exception {
    requireMicrosocks();
    Assumptions.assumeTrue(new java.io.File("/usr/bin/curl").canExecute(), "curl not installed");
    selector.routes = List.of(msAuthRoute(MS_PASS));
    assertThat(
            curl(
                "-x",
                "socks5h://alice:secret@127.0.0.1:" + t.port("socks"),
                "http://localhost:" + origin.port() + "/via-socks"))
        .isEqualTo("hello /via-socks");
  }

  static String curl(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void udpAssociateThroughHttpExitAndBindThroughAnyExitAreRefused() throws IOException {
    selector.routes = List.of(httpRoute(HTTP_EXIT_PASS));
    try (Socks5Client c = socks()) {
      c.requestIp(3, InetAddress.getByName("0.0.0.0"), 0);
      assertThat(c.reply().rep()).isEqualTo(7);
    }
    selector.routes =
        List.of(new ExitRoute.Socks5Upstream("fake", "127.0.0.1", fake.port(), null, null));
    try (Socks5Client c = socks()) {
      c.requestIp(2, InetAddress.getByName("127.0.0.1"), 0);
      assertThat(c.reply().rep()).isEqualTo(7);
    }
    selector.routes = List.of();
    try (Socks5Client c = socks()) {
      c.requestIp(3, InetAddress.getByName("0.0.0.0"), 0);
      assertThat(c.reply().rep()).isEqualTo(1);
    }
    assertThat(fake.requests).isEmpty();
  }

  static byte[] udpDatagram(String host, int port, String payload) {
    byte[] h = host.getBytes(StandardCharsets.US_ASCII);
    byte[] p = payload.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(7 + h.length + p.length);
    b.putShort((short) 0)
        .put((byte) 0)
        .put((byte) 3)
        .put((byte) h.length)
        .put(h)
        .putShort((short) port)
        .put(p);
    return b.array();
  }

  /** Receives one datagram; checks its header names 127.0.0.1:{@code port}; returns the payload. */
  static String udpReceive(DatagramSocket s, int port) throws IOException {
    byte[] buf = new byte[2048];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    s.receive(p);
    ByteBuffer b = ByteBuffer.wrap(p.getData(), 0, p.getLength());
    assertThat(b.getShort()).isZero();
    assertThat(b.get()).isZero();
    assertThat(b.get()).isEqualTo((byte) 1);
    byte[] a = new byte[4];
    b.get(a);
    assertThat(a).containsExactly(127, 0, 0, 1);
    assertThat(b.getShort() & 0xFFFF).isEqualTo(port);
    return new String(
        p.getData(), b.position(), p.getLength() - b.position(), StandardCharsets.US_ASCII);
  }

  @Test
  void udpAssociateThroughUpstreamSocks5() throws IOException {
    ExitRoute route =
        new ExitRoute.Socks5Upstream(
            "s5-sluice", "127.0.0.1", upstreamHttp.port("socks"), "exit", HTTP_EXIT_PASS);
    selector.routes = List.of(route);
    try (UdpEcho udpEcho = new UdpEcho();
        UdpEcho deniedEcho = new UdpEcho();
        DatagramSocket udp = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      t.policy.deniedPorts.add(deniedEcho.port());
      udp.setSoTimeout(5000);
      try (Socks5Client c = socks()) {
        c.requestIp(3, InetAddress.getByName("127.0.0.1"), udp.getLocalPort());
        Socks5Client.Reply r = c.reply();
        assertThat(r.rep()).isZero();
        InetSocketAddress relay = r.bound();
        assertThat(liveSession("socks5-udp").exit().id()).isEqualTo("s5-sluice");
        assertThat(upstreamHttp.engine.sessions())
            .anySatisfy(s -> assertThat(s.protocol()).isEqualTo("socks5-udp"));

        byte[] d = udpDatagram("localhost", deniedEcho.port(), "must be dropped");
        udp.send(new DatagramPacket(d, d.length, relay));
        d = udpDatagram("localhost", udpEcho.port(), "udp via upstream");
        udp.send(new DatagramPacket(d, d.length, relay));
        assertThat(udpReceive(udp, udpEcho.port())).isEqualTo("udp via upstream");
        d = udpDatagram("127.0.0.1", udpEcho.port(), "again");
        udp.send(new DatagramPacket(d, d.length, relay));
        assertThat(udpReceive(udp, udpEcho.port())).isEqualTo("again");
        assertThat(deniedEcho.received).hasValue(0);
      } finally {
        t.policy.deniedPorts.remove(deniedEcho.port());
      }
    }
    assertThat(selector.reports).containsExactly("s5-sluice:true");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            t.engine.sessions().isEmpty()
                && upstreamHttp.engine.sessions().stream()
                    .noneMatch(s -> s.protocol().equals("socks5-udp")));
  }

  @Test
  void udpAssociateThroughDeadUpstreamFails() throws IOException {
    selector.routes = List.of(dead("dead-udp"));
    try (Socks5Client c = socks()) {
      c.requestIp(3, InetAddress.getByName("0.0.0.0"), 0);
      assertThat(c.reply().rep()).isEqualTo(1);
    }
    assertThat(selector.reports).containsExactly("dead-udp:false");
  }
}
