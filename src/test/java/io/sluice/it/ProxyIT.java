package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The front door inside the real Liberty server, with proxy users from the real database and real
 * outside clients: curl, PySocks (TCP and UDP) and proxychains4.
 */
class ProxyIT {

  static final int SOCKS = Integer.getInteger("sluice.it.socks.port", 1080);
  static final int HTTP = Integer.getInteger("sluice.it.httpproxy.port", 3128);

  static Fixtures fx;
  static String user;
  static String pass;
  static int userId;

  @BeforeAll
  static void setUp() throws IOException {
    OutsidePrograms.require("curl", "curl");
    fx = new Fixtures();
    user = Api.unique("px");
    Response r =
        admin()
            .body(
                Map.of(
                    "username",
                    user,
                    "allowedDestinations",
                    List.of(Fixtures.ALLOW_V4, Fixtures.ALLOW_V6)))
            .post("/api/v1/users");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    userId = r.path("user.id");
    pass = r.path("password");
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (fx != null) {
      fx.close();
    }
  }

  static String url() {
    return "http://127.0.0.1:" + fx.httpPort() + "/hello";
  }

  @Test
  void curlSocks5AllForms() throws Exception {
    assertThat(
            run(
                    "curl",
                    "-sS",
                    "--max-time",
                    "10",
                    "--socks5",
                    "127.0.0.1:" + SOCKS,
                    "--proxy-user",
                    user + ":" + pass,
                    url())
                .out)
        .startsWith("hello from origin");
    assertThat(
            run(
                    "curl",
                    "-sS",
                    "--max-time",
                    "10",
                    "--socks5-hostname",
                    "127.0.0.1:" + SOCKS,
                    "--proxy-user",
                    user + ":" + pass,
                    "http://localhost:" + fx.httpPort() + "/hello")
                .out)
        .startsWith("hello from origin");
    assertThat(
            run(
                    "curl",
                    "-sS",
                    "--max-time",
                    "10",
                    "-x",
                    "socks5h://" + user + ":" + pass + "@127.0.0.1:" + SOCKS,
                    url())
                .out)
        .startsWith("hello from origin");
  }

  @Test
  void curlHttpForwardAndConnect() throws Exception {
    String proxy = "http://" + user + ":" + pass + "@127.0.0.1:" + HTTP;
    Result forward = run("curl", "-sS", "--max-time", "10", "-x", proxy, url());
    assertThat(forward.out)
        .startsWith("hello from origin")
        .as("Proxy-Authorization must never reach the origin")
        .endsWith("proxy-authorization=null");
    Result tunnel = run("curl", "-sS", "--max-time", "10", "-p", "-x", proxy, url());
    assertThat(tunnel.out).startsWith("hello from origin");
  }

  @Test
  void wrongCredentialsAreRefused() throws Exception {
    Result http =
        run(
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--max-time",
            "10",
            "-x",
            "http://" + user + ":wrong@127.0.0.1:" + HTTP,
            url());
    assertThat(http.out).isEqualTo("407");
    Result socks =
        run(
            "curl",
            "-s",
            "--max-time",
            "10",
            "-x",
            "socks5h://" + user + ":wrong@127.0.0.1:" + SOCKS,
            url());
    assertThat(socks.code).isEqualTo(97); // CURLE_PROXY: SOCKS5 authentication failed
  }

  @Test
  void privateDestinationsAreDenied() throws Exception {
    String adminApi = "http://127.0.0.1:" + Api.HTTP_PORT + "/health";
    Result http =
        run(
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--max-time",
            "10",
            "-x",
            "http://" + user + ":" + pass + "@127.0.0.1:" + HTTP,
            adminApi);
    assertThat(http.out).isEqualTo("403");
    assertThatThrownBy(() -> Socks5Client.connect(SOCKS, user, pass, "169.254.169.254", 80))
        .isInstanceOfSatisfying(Socks5Client.Refused.class, e -> assertThat(e.rep).isEqualTo(2));
    assertThatThrownBy(() -> Socks5Client.connect(SOCKS, user, pass, "127.0.0.1", Api.HTTP_PORT))
        .isInstanceOfSatisfying(Socks5Client.Refused.class, e -> assertThat(e.rep).isEqualTo(2));
  }

  @Test
  void pySocksTcpAndUdp() throws Exception {
    OutsidePrograms.requirePySocks();
    Path script = Files.createTempFile("pysocks", ".py");
    Files.writeString(
        script,
        String.join(
            "\n",
            "import socks, sys",
            "u, p, sp, hp, up = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])",
            "s = socks.socksocket()",
            "s.set_proxy(socks.SOCKS5, '127.0.0.1', sp, True, u, p)",
            "s.settimeout(10)",
            "s.connect(('127.0.0.1', hp))",
            "s.sendall(b'GET /hello HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n')",
            "data = b''",
            "while True:",
            "    chunk = s.recv(4096)",
            "    if not chunk: break",
            "    data += chunk",
            "print('TCP', data.split(b'\\r\\n\\r\\n', 1)[1].decode()[:17])",
            "d = socks.socksocket(socks.socket.AF_INET, socks.socket.SOCK_DGRAM)",
            "d.set_proxy(socks.SOCKS5, '127.0.0.1', sp, True, u, p)",
            "d.settimeout(10)",
            "d.bind(('127.0.0.1', 0))",
            "d.sendto(b'ping-over-udp', ('127.0.0.1', up))",
            "print('UDP', d.recvfrom(4096)[0].decode())",
            ""));
    Result r =
        run(
            "/usr/bin/python3",
            script.toString(),
            user,
            pass,
            String.valueOf(SOCKS),
            String.valueOf(fx.httpPort()),
            String.valueOf(fx.udpPort()));
    assertThat(r.out).contains("TCP hello from origin").contains("UDP ping-over-udp");
  }

  @Test
  void proxychainsRoutesAnUnawareProgram() throws Exception {
    OutsidePrograms.require("proxychains4", "proxychains4");
    Path conf = Files.createTempFile("proxychains", ".conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "strict_chain",
            "proxy_dns",
            "tcp_read_time_out 10000",
            "tcp_connect_time_out 8000",
            "[ProxyList]",
            "socks5 127.0.0.1 " + SOCKS + " " + user + " " + pass,
            ""));
    Result r =
        run("proxychains4", "-q", "-f", conf.toString(), "curl", "-sS", "--max-time", "10", url());
    assertThat(r.out).startsWith("hello from origin");
  }

  @Test
  void sessionsAreListedAndClosable() throws Exception {
    try (Socket tunnel = Socks5Client.connect(SOCKS, user, pass, "127.0.0.1", fx.echoPort())) {
      assertEcho(tunnel, "first");
      List<Map<String, Object>> sessions =
          Api.items(admin().queryParam("userId", userId).get("/api/v1/sessions"));
      Map<String, Object> mine =
          sessions.stream()
              .filter(s -> ("127.0.0.1:" + fx.echoPort()).equals(s.get("destination")))
              .findFirst()
              .orElseThrow();
      assertThat(mine.get("username")).isEqualTo(user);
      assertThat(mine.get("protocol")).asString().startsWith("socks5");
      assertThat(admin().delete("/api/v1/sessions/" + mine.get("id")).statusCode()).isEqualTo(204);
      assertClosedWithin(tunnel, Duration.ofSeconds(2));
    }
    ProblemAssert.assertProblem(
        admin().delete("/api/v1/sessions/no-such-session"), 404, "not-found");
  }

  @Test
  void disablingAUserCutsLiveSessionsWithinTwoSeconds() throws Exception {
    String name = Api.unique("cut");
    Response r =
        admin()
            .body(Map.of("username", name, "allowedDestinations", List.of(Fixtures.ALLOW_V4)))
            .post("/api/v1/users");
    int id = r.path("user.id");
    String pw = r.path("password");
    try (Socket tunnel = Socks5Client.connect(SOCKS, name, pw, "127.0.0.1", fx.echoPort())) {
      assertEcho(tunnel, "before");
      admin().post("/api/v1/users/" + id + "/disable").then().statusCode(200);
      assertClosedWithin(tunnel, Duration.ofSeconds(2));
    }
    assertThatThrownBy(() -> Socks5Client.connect(SOCKS, name, pw, "127.0.0.1", fx.echoPort()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void rotatedPasswordStopsTheOldOneAtOnce() throws Exception {
    String name = Api.unique("rot");
    Response r =
        admin()
            .body(Map.of("username", name, "allowedDestinations", List.of(Fixtures.ALLOW_V4)))
            .post("/api/v1/users");
    int id = r.path("user.id");
    String old = r.path("password");
    Socks5Client.connect(SOCKS, name, old, "127.0.0.1", fx.echoPort()).close(); // now cached
    String fresh = admin().post("/api/v1/users/" + id + "/password").path("password");
    assertThatThrownBy(() -> Socks5Client.connect(SOCKS, name, old, "127.0.0.1", fx.echoPort()))
        .isInstanceOf(IOException.class);
    Socks5Client.connect(SOCKS, name, fresh, "127.0.0.1", fx.echoPort()).close();
  }

  @Test
  void maxConnectionsRefusesTheNextOne() throws Exception {
    String name = Api.unique("lim");
    Response r =
        admin()
            .body(
                Map.of(
                    "username",
                    name,
                    "maxConnections",
                    1,
                    "allowedDestinations",
                    List.of(Fixtures.ALLOW_V4)))
            .post("/api/v1/users");
    String pw = r.path("password");
    try (Socket first = Socks5Client.connect(SOCKS, name, pw, "127.0.0.1", fx.echoPort())) {
      assertEcho(first, "one");
      assertThatThrownBy(() -> Socks5Client.connect(SOCKS, name, pw, "127.0.0.1", fx.echoPort()))
          .isInstanceOfSatisfying(Socks5Client.Refused.class, e -> assertThat(e.rep).isEqualTo(2));
    }
  }

  @Test
  void usageIsCounted() throws Exception {
    try (Socket tunnel = Socks5Client.connect(SOCKS, user, pass, "127.0.0.1", fx.echoPort())) {
      assertEcho(tunnel, "x".repeat(5000));
    }
    await()
        .atMost(5, TimeUnit.SECONDS)
        .untilAsserted(() -> {
          Response u = admin().get("/api/v1/users/" + userId + "/usage");
          assertThat(((Number) u.path("bytesUp")).longValue()).isGreaterThanOrEqualTo(5000);
          assertThat(((Number) u.path("bytesDown")).longValue()).isGreaterThanOrEqualTo(5000);
          assertThat(((Number) u.path("connections")).longValue()).isGreaterThanOrEqualTo(1);
        });
  }

  @Test
  void readinessIncludesTheListenersAndMetricsCountConnections() {
    Response ready = Api.anon().get("/health/ready");
    assertThat(ready.<List<String>>path("checks.name")).contains("sluice.proxy.listeners");
    String metrics = Api.anon().accept("text/plain").get("/metrics").asString();
    assertThat(metrics)
        .contains("sluice_proxy_connections_total{")
        .contains("sluice_proxy_bytes_total{")
        .contains("sluice_proxy_active_connections");
  }

  private static void assertEcho(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    InputStream in = s.getInputStream();
    byte[] sent = text.getBytes(StandardCharsets.UTF_8);
    out.write(sent);
    out.flush();
    byte[] got = in.readNBytes(sent.length);
    assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo(text);
  }

  private static void assertClosedWithin(Socket s, Duration d) throws IOException {
    s.setSoTimeout((int) d.toMillis());
    long start = System.nanoTime();
    int read;
    try {
      read = s.getInputStream().read();
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("tunnel still open after " + d);
    } catch (java.net.SocketException reset) {
      read = -1;
    }
    assertThat(read).isEqualTo(-1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(d);
  }

  record Result(int code, String out) {}

  static Result run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", cmd));
    }
    return new Result(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
  }
}
