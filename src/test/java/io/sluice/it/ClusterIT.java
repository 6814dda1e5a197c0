package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.restassured.response.Response;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database (issue 11, items 3 and 8): the build's server is node A, a
 * second server started from the same build ({@link ExtraServer}) is node B with its own HTTP and
 * proxy ports on 127.0.0.2. A user disabled through A loses its live session on B within a second
 * (the cluster event bus), and B refuses it at once afterwards.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final String B_HOST = "127.0.0.2";
  private static final int B_HTTP = 9180;
  private static final int B_SOCKS = 1180;

  private static ExtraServer nodeB;
  private static String directPool;
  private static Fixtures fx;

  @BeforeAll
  static void startNodeB() throws Exception {
    String url = System.getenv().getOrDefault("DB_URL", "");
    assumeThat(url.startsWith("jdbc:postgresql:"))
        .as("two nodes need a shared PostgreSQL database (DB_URL=%s)", url)
        .isTrue();
    Api.adminToken();
    fx = new Fixtures();
    nodeB =
        ExtraServer.named("node-b")
            .env("HTTP_PORT", String.valueOf(B_HTTP))
            .env("HTTPS_PORT", "9543")
            .env("SLUICE_SOCKS_PORT", String.valueOf(B_SOCKS))
            .env("SLUICE_HTTP_PROXY_PORT", "3228")
            .env("SLUICE_PROXY_BIND", B_HOST)
            .env("SLUICE_NODE_NAME", "node-b")
            .env("SLUICE_CLUSTER_ADVERTISE_URL", "http://127.0.0.1:" + B_HTTP)
            .start(Duration.ofSeconds(180));
  }

  @AfterAll
  static void stopNodeB() throws Exception {
    if (nodeB != null) {
      nodeB.stop();
    }
    if (fx != null) {
      fx.close();
    }
  }

  private static io.restassured.specification.RequestSpecification onB() {
    return io.restassured.RestAssured.given()
        .baseUri("http://127.0.0.1:" + B_HTTP)
        .header("Authorization", "Bearer " + Api.adminToken())
        .contentType("application/json")
        .accept("application/json");
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void bothNodesAreRegisteredAndOneRunsTheExitMonitor() {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> {
          List<Map<String, Object>> nodes = Api.items(admin().get("/api/v1/nodes"));
          assertThat(nodes)
              .filteredOn(n -> Boolean.TRUE.equals(n.get("alive")))
              .extracting(n -> (String) n.get("name"))
              .contains("node-b")
              .hasSizeGreaterThanOrEqualTo(2);
          assertThat(nodes)
              .filteredOn(n -> Boolean.TRUE.equals(n.get("self")))
              .singleElement()
              .satisfies(n -> assertThat((String) n.get("version")).isNotBlank());
          assertThat(nodes)
              .filteredOn(n -> ((List<?>) n.get("leases")).contains("exit-monitor"))
              .hasSize(1);
        });
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          Map<String, Object> b =
              Api.items(onB().get("/api/v1/nodes")).stream()
                  .filter(n -> Boolean.TRUE.equals(n.get("self")))
                  .findFirst()
                  .orElseThrow();
          assertThat((String) b.get("name")).isEqualTo("node-b");
          assertThat((String) b.get("listeners")).contains("127.0.0.2:" + B_SOCKS);
        });
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void theSessionsOfTheClusterIncludeNodeB() throws Exception {
    String name = Api.unique("cls");
    Response r =
        admin()
            .body(Map.of("username", name, "allowedDestinations", List.of(Fixtures.ALLOW_V4)))
            .post("/api/v1/users");
    int id = r.path("user.id");
    String pw = r.path("password");
    try (Socket onB = connectB(name, pw)) {
      echo(onB, "listed");
      assertThat(Api.items(admin().queryParam("userId", id).get("/api/v1/sessions")))
          .as("node A alone does not have it")
          .isEmpty();
      Response cluster =
          admin().queryParam("userId", id).queryParam("scope", "cluster").get("/api/v1/sessions");
      assertThat(cluster.statusCode()).as(cluster.asString()).isEqualTo(200);
      assertThat(Api.items(cluster))
          .singleElement()
          .satisfies(s -> {
            assertThat(s.get("node")).isEqualTo("node-b");
            assertThat(s.get("username")).isEqualTo(name);
          });
      assertThat(cluster.<List<String>>path("nodes.node")).contains("node-b");
    }
    ProblemAssert.assertProblem(
        admin().queryParam("scope", "galaxy").get("/api/v1/sessions"), 400, "bad-request");
  }

  @Test
  @org.junit.jupiter.api.Order(4)
  void aUserDisabledThroughNodeALosesItsLiveSessionOnNodeBWithinASecond() throws Exception {
    String name = Api.unique("cl");
    Response r =
        admin()
            .body(Map.of("username", name, "allowedDestinations", List.of(Fixtures.ALLOW_V4)))
            .post("/api/v1/users");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    int id = r.path("user.id");
    String pw = r.path("password");

    try (Socket onB = connectB(name, pw)) {
      echo(onB, "through node B");
      long t = System.nanoTime();
      admin().post("/api/v1/users/" + id + "/disable").then().statusCode(200);
      long cutMs = closedWithinMs(onB, Duration.ofSeconds(3));
      long total = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
      System.out.printf(
          "ClusterIT: session on node B cut %d ms after the disable call returned on node A (%d"
              + " ms including the call)%n",
          cutMs, total);
      assertThat(cutMs).as("cut on node B after the change on node A").isLessThan(1_000);
    }
    try (Socket s = new Socket(B_HOST, B_SOCKS)) {
      s.setSoTimeout(5_000);
      assertThat(Socks5Client.handshake(s, name, pw, "127.0.0.1", fx.echoPort()))
          .as("node B refuses the disabled user at once")
          .isEqualTo(-1);
    }
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  void aPoolCreatedThroughNodeAIsKnownToNodeBWithinASecond() throws Exception {
    String name = Api.unique("clp");
    Response u =
        admin()
            .body(Map.of("username", name, "allowedDestinations", List.of(Fixtures.ALLOW_V4)))
            .post("/api/v1/users");
    String pw = u.path("password");
    Response exit =
        admin()
            .body(Map.of("name", Api.unique("cldirect"), "kind", "direct"))
            .post("/api/v1/exits");
    assertThat(exit.statusCode()).as(exit.asString()).isEqualTo(201);
    String pool = Api.unique("clpool").toLowerCase();
    Response p =
        admin()
            .body(
                Map.of(
                    "name",
                    pool,
                    "strategy",
                    "round-robin",
                    "exits",
                    List.of((Integer) exit.path("id"))))
            .post("/api/v1/pools");
    assertThat(p.statusCode()).as(p.asString()).isEqualTo(201);
    directPool = pool;
    long created = System.nanoTime();
    // Node B refreshes its pools every 10 s by itself; the event bus makes it know the pool at
    // once.
    long knownMs = -1;
    while (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - created) < 5_000) {
      try (Socket s = new Socket(B_HOST, B_SOCKS)) {
        s.setSoTimeout(5_000);
        int rep = Socks5Client.handshake(s, name + "-pool-" + pool, pw, "127.0.0.1", fx.echoPort());
        if (rep != -1) {
          knownMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - created);
          break;
        }
      }
      Thread.sleep(100);
    }
    System.out.printf("ClusterIT: pool created on node A known to node B after %d ms%n", knownMs);
    assertThat(knownMs).as("node B accepts the new pool in a username").isBetween(0L, 1_000L);
  }

  @Test
  @org.junit.jupiter.api.Order(5)
  void fortyConcurrentPortAllocationsOverBothNodesNeverCollide() throws Exception {
    assertThat(directPool).as("the pool of the earlier test").isNotNull();
    Response agent = admin().body(Map.of("name", Api.unique("clag"))).post("/api/v1/agents");
    assertThat(agent.statusCode()).as(agent.asString()).isEqualTo(201);
    int agentId = agent.path("agent.id");
    List<Integer> users = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Response u =
          admin()
              .body(
                  Map.of(
                      "username", Api.unique("clded"),
                      "allowedDestinations", List.of(Fixtures.ALLOW_V4),
                      "defaultPool", directPool))
              .post("/api/v1/users");
      assertThat(u.statusCode()).as(u.asString()).isEqualTo(201);
      users.add(u.path("user.id"));
    }
    var pool = java.util.concurrent.Executors.newFixedThreadPool(40);
    try {
      var start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Response>> dedicated = new java.util.ArrayList<>();
      List<java.util.concurrent.Future<Response>> tunnels = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        boolean viaB = i % 2 == 1;
        int user = users.get(i);
        dedicated.add(
            pool.submit(() -> {
              start.await();
              return (viaB ? onB() : admin()).post("/api/v1/users/" + user + "/assignment");
            }));
        tunnels.add(
            pool.submit(() -> {
              start.await();
              return (viaB ? onB() : admin())
                  .body(Map.of("agentId", agentId, "targetHost", "127.0.0.1", "targetPort", 9))
                  .post("/api/v1/tunnels");
            }));
      }
      start.countDown();
      java.util.Set<Integer> dedicatedPorts = new java.util.HashSet<>();
      for (var f : dedicated) {
        Response r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(dedicatedPorts.add(r.path("port"))).as("duplicate dedicated port").isTrue();
      }
      java.util.Set<Integer> publicPorts = new java.util.HashSet<>();
      for (var f : tunnels) {
        Response r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(publicPorts.add(r.path("publicPort"))).as("duplicate public port").isTrue();
      }
      assertThat(dedicatedPorts).hasSize(20);
      assertThat(publicPorts).hasSize(20);
    } finally {
      pool.shutdownNow();
      admin().delete("/api/v1/agents/" + agentId);
      for (int user : users) {
        admin().delete("/api/v1/users/" + user + "/assignment");
      }
    }
  }

  /**
   * Issue 11, item 6: a mapping's public port is bound only on the node its agent holds its
   * WebSocket to (node A binds tunnels on 127.0.0.1, node B on 127.0.0.2), on every node while the
   * agent is offline, and moves with the agent.
   */
  @Test
  @org.junit.jupiter.api.Order(6)
  void aTunnelMappingIsServedByTheNodeItsAgentIsConnectedTo() throws Exception {
    try (java.net.ServerSocket echo =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(() -> {
            while (!echo.isClosed()) {
              try {
                Socket s = echo.accept();
                Thread.ofVirtual().start(() -> TunnelRelayIT.echoOne(s));
              } catch (IOException e) {
                return;
              }
            }
          });
      String[] agent = TunnelRelayIT.agent("cl-agent");
      int[] m = TunnelRelayIT.map(agent[0], echo.getLocalPort(), Map.of());
      String path = "/api/v1/tunnels/" + m[0];
      String allow = "127.0.0.1:" + echo.getLocalPort();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(15))
          .alias("offline agent: both nodes bind the public port")
          .until(() -> bound("127.0.0.1", m[1]) && bound(B_HOST, m[1]));
      assertThat(admin().get(path).<Object>path("servedBy")).isNull();

      String onBUrl = "ws://127.0.0.1:" + B_HTTP + "/tunnel";
      try (AgentProcess a =
          AgentProcess.start("cl-b-" + agent[0], agent[1], allow, "off", onBUrl)) {
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> "node-b".equals(admin().get(path).path("servedBy.name")));
        long t0 = System.nanoTime();
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(50))
            .alias("node A releases the port of an agent connected to node B")
            .until(() -> !bound("127.0.0.1", m[1]));
        System.out.printf(
            "ClusterIT: node A released the public port %d ms after the mapping showed node B%n",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        try (Socket s = new Socket(B_HOST, m[1])) {
          s.setSoTimeout(5_000);
          echo(s, "through node b");
        }
        Response shown = admin().get("/api/v1/agents/" + agent[0]);
        assertThat(shown.<String>path("connectedNode")).isEqualTo("node-b");
        assertThat(shown.<Boolean>path("connected")).as("not connected to node A").isFalse();
        ProblemAssert.assertProblem(
            admin().post("/api/v1/agents/" + agent[0] + "/disconnect"), 409, "conflict");
      }
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(15))
          .alias("agent gone: node A binds the port again")
          .until(() -> bound("127.0.0.1", m[1]) && admin().get(path).path("servedBy") == null);

      String onAUrl = "ws://127.0.0.1:" + Api.HTTP_PORT + "/tunnel";
      try (AgentProcess a =
          AgentProcess.start("cl-a-" + agent[0], agent[1], allow, "off", onAUrl)) {
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> {
              Object name = admin().get(path).path("servedBy.name");
              return name != null && !"node-b".equals(name);
            });
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(50))
            .alias("node B releases the port of an agent connected to node A")
            .until(() -> !bound(B_HOST, m[1]));
        try (Socket s = new Socket("127.0.0.1", m[1])) {
          s.setSoTimeout(5_000);
          echo(s, "through node a");
        }
      }
      admin().delete(path).then().statusCode(204);
    }
  }

  /** True when something accepts TCP connections on host:port. */
  private static boolean bound(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new java.net.InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  @org.junit.jupiter.api.Order(7)
  void whenTheNodeRunningTheExitMonitorIsKilledTheOtherTakesItOverWithin30s() throws Exception {
    try {
      // Hand the monitor to node B: A stops its monitor (and gives the lease up).
      admin().post("/api/v1/exits/monitor/stop").then().statusCode(200);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() ->
              Boolean.TRUE.equals(onB().get("/api/v1/exits/monitor").path("holdsClusterLease")));
      admin().post("/api/v1/exits/monitor/start").then().statusCode(200);
      assertThat((Boolean) admin().get("/api/v1/exits/monitor").path("holdsClusterLease"))
          .as("A waits while B holds the lease")
          .isFalse();

      java.time.Instant killedAt = java.time.Instant.now();
      long t = System.nanoTime();
      nodeB.kill();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> {
            Response m = admin().get("/api/v1/exits/monitor");
            String last = m.path("lastRoundStartedAt");
            return Boolean.TRUE.equals(m.path("holdsClusterLease"))
                && last != null
                && java.time.Instant.parse(last).isAfter(killedAt);
          });
      long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
      System.out.printf(
          "ClusterIT: exit monitor round started on node A %d ms after kill -9 of node B%n",
          failoverMs);
      assertThat(failoverMs).isLessThan(30_000);
    } finally {
      admin().post("/api/v1/exits/monitor/start");
    }
  }

  private static Socket connectB(String user, String pw) throws IOException {
    Socket s = new Socket(B_HOST, B_SOCKS);
    s.setSoTimeout(5_000);
    int rep = Socks5Client.handshake(s, user, pw, "127.0.0.1", fx.echoPort());
    assertThat(rep).as("SOCKS5 reply from node B").isZero();
    return s;
  }

  private static void echo(Socket s, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    s.getOutputStream().write(b);
    s.getOutputStream().flush();
    byte[] back = new byte[b.length];
    new DataInputStream(s.getInputStream()).readFully(back);
    assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo(text);
  }

  /** Milliseconds until the peer closes the socket (fails after {@code d}). */
  private static long closedWithinMs(Socket s, Duration d) throws IOException {
    s.setSoTimeout((int) d.toMillis());
    long start = System.nanoTime();
    int read;
    try {
      read = s.getInputStream().read();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("session on node B still open after " + d);
    } catch (SocketException reset) {
      read = -1;
    }
    assertThat(read).isEqualTo(-1);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
