package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end through the real agent jar in its own JVM: public port on Sluice -> /tunnel WebSocket
 * -> agent -> servers "behind" it on loopback (an HTTP server, a half-close-aware echo server, and
 * a sink that accepts but never reads). Here every stream is carried in frames over the WebSocket
 * (agents run with {@code --direct off}); {@link TunnelRelayDirectIT} runs the same tests over
 * direct data connections.
 */
class TunnelRelayIT {

  /** The agents' {@code --direct} mode in these tests. */
  String direct() {
    return "off";
  }

  static HttpServer http;
  static ServerSocket echo;
  static ServerSocket sink;
  static final List<Socket> sinkConnections = new ArrayList<>();

  @BeforeAll
  static void servers() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    http.createContext(
        "/behind",
        ex -> {
          byte[] body = "hello from behind the agent".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    http.start();
    echo = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(() -> {
          while (!echo.isClosed()) {
            try {
              Socket s = echo.accept();
              Thread.ofVirtual().start(() -> echoOne(s));
            } catch (IOException e) {
              return;
            }
          }
        });
    sink = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(() -> {
          while (!sink.isClosed()) {
            try {
              Socket s = sink.accept(); // never read: the writer behind the tunnel must stall
              synchronized (sinkConnections) {
                sinkConnections.add(s);
              }
            } catch (IOException e) {
              return;
            }
          }
        });
  }

  @AfterAll
  static void stop() throws IOException {
    http.stop(0);
    echo.close();
    sink.close();
    synchronized (sinkConnections) {
      for (Socket s : sinkConnections) {
        s.close();
      }
    }
  }

  /** Echoes until EOF, then half-closes (so the client sees every byte, then EOF). */
  static void echoOne(Socket s) {
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      byte[] buf = new byte[16384];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
      s.shutdownOutput();
    } catch (IOException ignored) {
      // client went away
    }
  }

  static String allowAll() {
    return "127.0.0.1:"
        + http.getAddress().getPort()
        + ",127.0.0.1:"
        + echo.getLocalPort()
        + ",127.0.0.1:"
        + sink.getLocalPort();
  }

  /** Creates an agent; returns {id, token}. */
  static String[] agent(String prefix) {
    Response r = admin().body(Map.of("name", Api.unique(prefix))).post("/api/v1/agents");
    assertThat(r.statusCode()).isEqualTo(201);
    return new String[] {String.valueOf((Integer) r.path("agent.id")), r.path("token")};
  }

  static void awaitConnected(String agentId, boolean connected) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> admin().get("/api/v1/agents/" + agentId).<Boolean>path("connected") == connected);
  }

  /** Maps a public port to target port on the agent's loopback; returns {mappingId, publicPort}. */
  static int[] map(String agentId, int targetPort, Map<String, Object> extra) {
    Map<String, Object> body =
        new HashMap<>(
            Map.of(
                "agentId",
                Long.parseLong(agentId),
                "targetHost",
                "127.0.0.1",
                "targetPort",
                targetPort));
    body.putAll(extra);
    Response r = admin().body(body).post("/api/v1/tunnels");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return new int[] {r.path("id"), r.path("publicPort")};
  }

  static Map<String, Object> stats(int mappingId) {
    return admin()
        .get("/api/v1/tunnels/" + mappingId + "/stats")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getMap("");
  }

  static long num(Map<String, Object> stats, String key) {
    Object v = stats.get(key);
    return v == null ? 0 : ((Number) v).longValue();
  }

  @SuppressWarnings("unchecked")
  static long errors(int mappingId, String reason) {
    Map<String, Object> byReason = (Map<String, Object>) stats(mappingId).get("errorsByReason");
    Object v = byReason == null ? null : byReason.get(reason);
    return v == null ? 0 : ((Number) v).longValue();
  }

  static String curl(int port, String path) throws Exception {
    OutsidePrograms.require("curl", "curl");
    Process p =
        new ProcessBuilder("curl", "-sS", "--max-time", "10", "http://127.0.0.1:" + port + path)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  /**
   * Sends {@code size} random bytes, reads the echo concurrently; true when SHA-256 of both match.
   */
  static boolean echoRoundTrip(int port, int size, long seed) throws Exception {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(30_000);
      Thread writer =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  OutputStream out = s.getOutputStream();
                  for (int off = 0; off < size; off += 8192) {
                    out.write(data, off, Math.min(8192, size - off));
                  }
                  s.shutdownOutput();
                } catch (IOException ignored) {
                  // the reader reports the failure
                }
              });
      MessageDigest got = MessageDigest.getInstance("SHA-256");
      InputStream in = s.getInputStream();
      byte[] buf = new byte[16384];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        got.update(buf, 0, n);
        total += n;
      }
      writer.join(30_000);
      return total == size
          && MessageDigest.isEqual(got.digest(), MessageDigest.getInstance("SHA-256").digest(data));
    }
  }

  /** Connects and waits for the server to close the connection; returns how long that took. */
  static long closedWithinMillis(int port) throws IOException {
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      try {
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      } catch (java.net.SocketException reset) {
        // the refusal's RST can overtake the end of the connect on loopback
        return (System.nanoTime() - start) / 1_000_000;
      }
      s.setSoTimeout(10_000);
      try {
        int b = s.getInputStream().read();
        assertThat(b).as("no byte may arrive on a refused tunnel connection").isEqualTo(-1);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("connection was not closed within 10 s", e);
      } catch (IOException reset) {
        // connection reset: refused at once, as intended
      }
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void curlAndStatsThroughTheRealAgent() throws Exception {
    String[] a = agent("relay");
    try (AgentProcess agent = AgentProcess.start("relay-" + a[0], a[1], allowAll(), direct())) {
      awaitConnected(a[0], true);
      Response view = admin().get("/api/v1/agents/" + a[0]);
      assertThat(view.<String>path("version")).startsWith("sluice-agent/");
      assertThat(view.<String>path("connectedSince")).isNotBlank();
      int[] m = map(a[0], http.getAddress().getPort(), Map.of());
      for (int i = 0; i < 3; i++) {
        assertThat(curl(m[1], "/behind")).isEqualTo("hello from behind the agent");
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> num(stats(m[0]), "activeConnections") == 0);
      Map<String, Object> s = stats(m[0]);
      assertThat(num(s, "totalConnections")).isEqualTo(3);
      assertThat(num(s, "bytesIn")).isGreaterThan(3 * 50); // three GET requests
      assertThat(num(s, "bytesOut")).isGreaterThan(3 * 27); // three responses
      assertThat(s.get("lastActivity")).isNotNull();
      assertThat(s.get("agentConnected")).isEqualTo(true);
      String metrics = Api.anon().accept("text/plain").get("/metrics").asString();
      assertThat(metrics)
          .containsPattern("sluice_tunnel_bytes_total\\{[^}]*direction=\"in\"[^}]*\\} [1-9]")
          .containsPattern("sluice_tunnel_agents_connected(\\{[^}]*\\})? [1-9]")
          .contains("sluice_tunnel_streams_active");
      assertThat(agent.output()).doesNotContain(a[1]); // the token is never logged
    }
  }

  @Test
  void hundredConcurrentChecksummedStreams() throws Exception {
    String[] a = agent("many");
    try (AgentProcess agent = AgentProcess.start("many-" + a[0], a[1], allowAll(), direct())) {
      awaitConnected(a[0], true);
      int[] m = map(a[0], echo.getLocalPort(), Map.of());
      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        long seed = i;
        // sizes from 1 byte to ~600 KiB: several windows for the big ones
        int size = i == 0 ? 1 : 6_000 * i + 17;
        results.add(pool.submit((Callable<Boolean>) () -> echoRoundTrip(m[1], size, seed)));
      }
      int ok = 0;
      for (Future<Boolean> f : results) {
        if (f.get(90, TimeUnit.SECONDS)) {
          ok++;
        }
      }
      pool.shutdownNow();
      assertThat(ok).isEqualTo(100);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> num(stats(m[0]), "activeConnections") == 0);
      assertThat(num(stats(m[0]), "totalConnections")).isEqualTo(100);
      assertThat(num(stats(m[0]), "errors")).isZero();
    }
  }

  @Test
  void offlineAgentsMappingRefusesAtOnceAndKillRestartRecovers() throws Exception {
    String[] a = agent("kill");
    int[] m = map(a[0], echo.getLocalPort(), Map.of());
    // never connected: the port is bound but refuses at once
    assertThat(closedWithinMillis(m[1])).isLessThan(2000);
    assertThat(errors(m[0], "agent_offline")).isEqualTo(1);
    try (AgentProcess agent = AgentProcess.start("kill-" + a[0], a[1], allowAll(), direct())) {
      awaitConnected(a[0], true);
      assertThat(echoRoundTrip(m[1], 100_000, 1)).isTrue();
      agent.kill(); // SIGKILL: no goodbye, the TCP connection just dies
      awaitConnected(a[0], false);
      assertThat(closedWithinMillis(m[1])).isLessThan(2000);
      agent.restart();
      awaitConnected(a[0], true);
      long start = System.nanoTime();
      assertThat(echoRoundTrip(m[1], 100_000, 2)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void droppedWebSocketReconnectsAndMappingWorksAgain() throws Exception {
    String[] a = agent("drop");
    try (AgentProcess agent = AgentProcess.start("drop-" + a[0], a[1], allowAll(), direct())) {
      awaitConnected(a[0], true);
      int[] m = map(a[0], echo.getLocalPort(), Map.of());
      String since = admin().get("/api/v1/agents/" + a[0]).path("connectedSince");
      admin().post("/api/v1/agents/" + a[0] + "/disconnect").then().statusCode(204);
      // the agent notices, backs off briefly and reconnects with a new connection
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> {
            Response r = admin().get("/api/v1/agents/" + a[0]);
            return r.<Boolean>path("connected") && !since.equals(r.path("connectedSince"));
          });
      assertThat(echoRoundTrip(m[1], 300_000, 3)).isTrue();
      assertThat(agent.output()).containsIgnoringCase("disconnected");
    }
  }

  @Test
  void disabledAgentAndWrongTokenAreRefused() throws Exception {
    String[] a = agent("dis");
    admin().post("/api/v1/agents/" + a[0] + "/disable").then().statusCode(200);
    String wrong = "sat_" + a[0] + "_" + "x".repeat(40);
    String before = Api.anon().accept("text/plain").get("/metrics").asString();
    try (AgentProcess disabled = AgentProcess.start("dis-" + a[0], a[1], allowAll(), direct());
        AgentProcess guessing = AgentProcess.start("wrong-" + a[0], wrong, allowAll(), direct())) {
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> disabled.output().contains("1008") && guessing.output().contains("1008"));
      assertThat(admin().get("/api/v1/agents/" + a[0]).<Boolean>path("connected")).isFalse();
      assertThat(authFailures(Api.anon().accept("text/plain").get("/metrics").asString()))
          .isGreaterThanOrEqualTo(authFailures(before) + 2);
      // re-enabled: the same (right) agent gets in on its own, without a restart
      admin().post("/api/v1/agents/" + a[0] + "/enable").then().statusCode(200);
      awaitConnected(a[0], true);
      assertThat(guessing.isAlive()).isTrue(); // it keeps retrying with backoff, never connected
    }
  }

  static double authFailures(String metrics) {
    var m =
        java.util.regex.Pattern.compile(
                "sluice_tunnel_auth_failures_total(?:\\{[^}]*\\})? ([0-9.eE+]+)")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void targetOutsideTheAgentsAllowListGetsOpenFail() throws Exception {
    String[] a = agent("deny");
    // the agent allows only the HTTP server; the mapping points at the echo server
    try (AgentProcess agent =
        AgentProcess.start(
            "deny-" + a[0], a[1], "127.0.0.1:" + http.getAddress().getPort(), direct())) {
      awaitConnected(a[0], true);
      int[] m = map(a[0], echo.getLocalPort(), Map.of());
      assertThat(closedWithinMillis(m[1])).isLessThan(5000);
      await().atMost(Duration.ofSeconds(5)).until(() -> errors(m[0], "not_allowed") == 1);
      assertThat(Api.anon().accept("text/plain").get("/metrics").asString())
          .containsPattern(
              "sluice_tunnel_open_failures_total\\{[^}]*reason=\"not_allowed\"[^}]*\\} [1-9]");
    }
  }

  @Test
  void sourceAllowListAndConnectionLimitAreCheckedPerConnection() throws Exception {
    String[] a = agent("limits");
    try (AgentProcess agent = AgentProcess.start("limits-" + a[0], a[1], allowAll(), direct())) {
      awaitConnected(a[0], true);
      int[] denied =
          map(a[0], echo.getLocalPort(), Map.of("allowedSources", List.of("10.0.0.0/8")));
      assertThat(closedWithinMillis(denied[1])).isLessThan(2000);
      assertThat(errors(denied[0], "source_denied")).isEqualTo(1);

      int[] limited = map(a[0], echo.getLocalPort(), Map.of("maxConnections", 1));
      try (Socket first = new Socket("127.0.0.1", limited[1])) {
        first.setSoTimeout(10_000);
        first.getOutputStream().write(42);
        assertThat(first.getInputStream().read()).isEqualTo(42); // relayed and echoed
        assertThat(closedWithinMillis(limited[1])).isLessThan(2000); // the second is refused
        assertThat(errors(limited[0], "max_connections")).isEqualTo(1);
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> num(stats(limited[0]), "activeConnections") == 0);
      assertThat(echoRoundTrip(limited[1], 1000, 4)).isTrue(); // the slot is free again
    }
  }

  @Test
  void bandwidthLimitShapesAStream() throws Exception {
    String[] a = agent("bw");
    try (AgentProcess agent = AgentProcess.start("bw-" + a[0], a[1], allowAll(), direct())) {
      awaitConnected(a[0], true);
      int[] m = map(a[0], echo.getLocalPort(), Map.of("bandwidthBps", 200_000));
      long start = System.nanoTime();
      assertThat(echoRoundTrip(m[1], 600_000, 5)).isTrue();
      // 600 kB each way at 200 kB/s takes about 3 s (minus the bucket's initial burst); unshaped it
      // is milliseconds
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThan(Duration.ofMillis(1500));
    }
  }

  @Test
  void blockedReaderDoesNotStarveOtherStreamsAndBufferingStaysBounded() throws Exception {
    String[] a = agent("stall");
    try (AgentProcess agent = AgentProcess.start("stall-" + a[0], a[1], allowAll(), direct())) {
      awaitConnected(a[0], true);
      int[] stalled = map(a[0], sink.getLocalPort(), Map.of());
      int[] healthy = map(a[0], echo.getLocalPort(), Map.of());
      AtomicLong accepted = new AtomicLong();
      try (Socket s = new Socket("127.0.0.1", stalled[1])) {
        Thread writer =
            Thread.ofVirtual()
                .start(() -> {
                  byte[] chunk = new byte[65536];
                  try {
                    OutputStream out = s.getOutputStream();
                    for (int i = 0;
                        i < 1024;
                        i++) { // up to 64 MiB; the tunnel must stop taking it long before
                      out.write(chunk);
                      accepted.addAndGet(chunk.length);
                    }
                  } catch (IOException e) {
                    // closed at the end of the test
                  }
                });
        Thread.sleep(
            2000); // the sink reads nothing: credit and socket buffers fill up, then the writer
        // blocks
        // meanwhile another stream of the same agent works normally
        for (int i = 0; i < 5; i++) {
          assertThat(echoRoundTrip(healthy[1], 500_000, 10 + i)).isTrue();
        }
        long stuckAt = accepted.get();
        Thread.sleep(1000);
        // nothing more gets through, and what did is bounded by socket buffers plus one window,
        // far below the 64 MiB an unbounded relay would have swallowed
        assertThat(accepted.get()).isEqualTo(stuckAt).isLessThan(32L * 1024 * 1024);
        assertThat(writer.isAlive()).isTrue();
        s.close();
        writer.join(5000);
      }
    }
  }

  /**
   * The totals that survive a restart are the ones in the mapping's row: after a flush interval (10
   * s) the row holds them, and the API does not count them twice (row + unflushed).
   */
  @Test
  void totalsAreWrittenToTheMappingsRowOnce() throws Exception {
    String url = System.getenv("DB_URL");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        url != null && url.startsWith("jdbc:postgresql:"),
        "reads the row over JDBC; the embedded H2 database is locked by the server");
    String[] a = agent("persist");
    try (AgentProcess agent = AgentProcess.start("persist-" + a[0], a[1], allowAll(), direct())) {
      awaitConnected(a[0], true);
      int[] m = map(a[0], http.getAddress().getPort(), Map.of());
      for (int i = 0; i < 3; i++) {
        assertThat(curl(m[1], "/behind")).isEqualTo("hello from behind the agent");
      }
      try (java.sql.Connection c =
          java.sql.DriverManager.getConnection(
              url, System.getenv("DB_USER"), System.getenv("DB_PASSWORD"))) {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> {
              try (var rs =
                  c.createStatement()
                      .executeQuery(
                          "SELECT total_connections, bytes_in, bytes_out, "
                              + "last_activity_at FROM tunnel_mapping WHERE id = "
                              + m[0])) {
                return rs.next()
                    && rs.getLong(1) == 3
                    && rs.getLong(2) > 0
                    && rs.getLong(3) > 0
                    && rs.getTimestamp(4) != null;
              }
            });
      }
      Thread.sleep(11_000); // one more flush: nothing may be added twice
      Map<String, Object> s = stats(m[0]);
      assertThat(num(s, "totalConnections")).isEqualTo(3);
    }
  }
}
