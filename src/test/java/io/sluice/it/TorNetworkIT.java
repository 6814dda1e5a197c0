package io.sluice.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sluice's own Tor fleet on a private Tor network ({@link PrivateTorNetwork}: 3 authorities, 4
 * exits de/us/fr/nl, an IP echo, all inside a network namespace this test creates and deletes). A
 * second Sluice server ({@link ExtraServer}, its own embedded database) runs in that namespace with
 * {@code SLUICE_TOR_TORRC_EXTRA} pointing at the network's lines, so its tor nodes join it. Through
 * Sluice's SOCKS5 port: {@code -pool-tor-country-de} reaches the echo from the de exit; each node's
 * exit as {@code GET /api/v1/tor/nodes} shows it is the address the echo sees; a rotation gives a
 * node another exit; no exit is held by two nodes. Then {@code kill -9} of that server's JVM: every
 * tor it started exits by itself. With {@code SLUICE_IT_TOR_BENCH=N} it also scales to N nodes and
 * prints time to ready and rotation throughput (docs/benchmarks.md).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TorNetworkIT {

  static final String ID = Long.toString(ProcessHandle.current().pid() % 100_000, 36);
  static final String NS = "stor-" + ID;
  static final String DE_EXIT = PrivateTorNetwork.EXITS.get(0)[0];
  static final List<String> OTHERS = List.of("us", "fr", "nl");
  static final String PASSWORD = "Tor-Initial-Password-2026!";

  static PrivateTorNetwork net;
  static ExtraServer server;
  static Process bridge;
  static String token;
  static int httpPort;
  static String user;
  static String userPassword;
  static final Map<Integer, Long> exitIds = new HashMap<>();

  @BeforeAll
  static void setUp() throws Exception {
    assumeTrue(
        "0"
            .equals(
                new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes())
                    .strip()),
        "the private Tor network needs root (network namespaces)");
    OutsidePrograms.require("tor", "tor");
    OutsidePrograms.require("tor-gencert", "tor");
    OutsidePrograms.require("curl", "curl");
    OutsidePrograms.require("socat", "socat");
    OutsidePrograms.require("ip", "iproute2");
    assumeTrue(
        Commands.run("ip", "netns", "add", NS + "-probe") == 0,
        "cannot create network namespaces here (ip netns add failed)");
    Commands.run("ip", "netns", "del", NS + "-probe");

    net = PrivateTorNetwork.start(NS, Path.of("target", "tor-testnet", ID).toAbsolutePath());
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      httpPort = s.getLocalPort();
    }
    // the admin API of the server in the namespace, on the same port of this namespace's 127.0.0.1
    bridge =
        new ProcessBuilder(
                "socat",
                "TCP-LISTEN:" + httpPort + ",bind=127.0.0.1,reuseaddr,fork",
                "EXEC:ip netns exec " + NS + " socat STDIO TCP\\:127.0.0.1\\:" + httpPort)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    server =
        ExtraServer.named("tor-net")
            .embeddedDatabase()
            .netns(NS)
            .env("HTTP_PORT", String.valueOf(httpPort))
            .env("HTTPS_PORT", String.valueOf(httpPort + 1))
            .env("SLUICE_SOCKS_PORT", "1080")
            .env("SLUICE_HTTP_PROXY_PORT", "3128")
            .env("SLUICE_ADMIN_PASSWORD", PASSWORD)
            .env("SLUICE_EXITS_MONITOR_ENABLED", "false")
            .env("SLUICE_TOR_TORRC_EXTRA", net.extraTorrc().toString())
            // the drain waits for sessions up to this long (scalingDownWaitsFor...)
            .env("SLUICE_TOR_DRAIN_SECONDS", "120")
            .start(Duration.ofSeconds(180));
    token = login();
    long t0 = System.nanoTime();
    net.awaitExitsInConsensus(Duration.ofSeconds(120));
    System.out.printf(
        "TorNetworkIT: the exits were in the consensus %.1f s after the server was ready%n",
        (System.nanoTime() - t0) / 1e9);
    Response u =
        api()
            .body(
                Map.of(
                    "username",
                    "tor" + ID,
                    "allowedDestinations",
                    List.of("10.99.0.0/24:" + PrivateTorNetwork.ECHO_PORT)))
            .post("/api/v1/users");
    assertThat(u.statusCode()).as(u.asString()).isEqualTo(201);
    user = u.path("user.username");
    userPassword = u.path("password");
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (server != null) {
      server.kill();
    }
    if (bridge != null) {
      bridge.descendants().forEach(ProcessHandle::destroyForcibly);
      bridge.destroyForcibly();
      bridge.waitFor(10, TimeUnit.SECONDS);
    }
    if (net != null) {
      net.close();
    }
  }

  @Test
  @Order(1)
  void theFleetJoinsTheNetworkAndCountryRoutingLandsOnTheDeExit() throws Exception {
    // node 2's countries now already, so that scaling to 3 later restarts no node
    settings(2, Map.of("0", List.of("de"), "1", OTHERS, "2", OTHERS), 20);
    Map<Integer, Double> ready = awaitReady(2, Duration.ofSeconds(180));
    System.out.println("TorNetworkIT: seconds from scale to ready per node: " + ready);
    for (Map<String, Object> e :
        Api.items(api().queryParam("pool", "tor").queryParam("size", 100).get("/api/v1/exits"))) {
      String name = (String) e.get("name");
      exitIds.put(
          Integer.parseInt(name.substring(name.lastIndexOf('-') + 1)),
          ((Number) e.get("id")).longValue());
    }
    assertThat(exitIds).containsKeys(0, 1);
    pool("n1", exitIds.get(1));

    String seen = awaitEcho(user + "-pool-tor-country-de", Duration.ofSeconds(90));
    assertThat(seen).as("the echo sees the de exit relay").isEqualTo(DE_EXIT);
    await(Duration.ofSeconds(30), () -> DE_EXIT.equals(node(0).get("exitIp")));
    Map<String, Object> n0 = node(0);
    assertThat(n0.get("exitCountry")).isEqualTo("de");
    assertThat((String) n0.get("exitFingerprint")).matches("[0-9A-F]{40}");
    assertThat(n0.get("server")).isNotNull();
    for (int i = 0; i < 3; i++) {
      assertThat(echoVia(user + "-pool-tor-country-de")).isEqualTo(DE_EXIT);
    }

    String one = awaitTrackedExit(1, null, Duration.ofSeconds(90));
    assertThat(one).isNotEqualTo(DE_EXIT);
    assertThat(node(1).get("exitCountry")).isIn(OTHERS);
  }

  @Test
  @Order(2)
  void aNodeIsPinnedToItsExitSoIsolatedStreamsAllLeaveThere() throws Exception {
    await(Duration.ofSeconds(30), () -> Boolean.TRUE.equals(node(1).get("exitPinned")));
    Map<String, Object> n1 = node(1);
    String exit = (String) n1.get("exitIp");
    int socks = ((Number) n1.get("socksPort")).intValue();
    // Each SOCKS username is its own isolation group in tor (IsolateSOCKSAuth): every request
    // below gets a circuit of its own. Unpinned, tor picks each one's exit among the three of
    // node 1's countries; pinned, all of them leave through the node's exit.
    List<String> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      seen.add(echoDirect(socks, "isolated-" + i));
    }
    System.out.println("TorNetworkIT: 6 isolated streams of pinned node 1 left through " + seen);
    assertThat(seen).as("exits of six isolated streams").containsOnly(exit);
    assertThat(node(1).get("exitIp")).isEqualTo(exit);
  }

  /** The address the echo saw through a tor node's own SOCKS port, with a SOCKS username. */
  static String echoDirect(int socksPort, String isolation) throws Exception {
    String ip = curlEcho(socksPort, isolation + ":x", 30);
    return ip == null ? "failed" : ip;
  }

  @Test
  @Order(3)
  void aRotationGivesTheNodeAnotherExit() throws Exception {
    String before = (String) node(1).get("exitIp");
    long newnyms = ((Number) node(1).get("newnyms")).longValue();
    long t0 = System.nanoTime();
    Response r = api().post("/api/v1/tor/nodes/" + node(1).get("id") + "/rotate");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    String after = awaitTrackedExit(1, before, Duration.ofSeconds(150));
    System.out.printf(
        "TorNetworkIT: node 1 rotated from %s to %s in %.1f s (%d NEWNYM(s))%n",
        before,
        after,
        (System.nanoTime() - t0) / 1e9,
        ((Number) node(1).get("newnyms")).longValue() - newnyms);
    assertThat(after).isNotEqualTo(before).isNotEqualTo(DE_EXIT);
    assertThat(echoVia(user + "-pool-tor-country-de")).isEqualTo(DE_EXIT);
  }

  @Test
  @Order(4)
  void aThirdNodeTakesAnExitNoOtherNodeHolds() throws Exception {
    // only "held by another node" counts now (window 0), so three nodes fit on four exits
    settings(3, Map.of("0", List.of("de"), "1", OTHERS, "2", OTHERS), 0);
    awaitReady(3, Duration.ofSeconds(180));
    exitIds.put(2, exitIdOf(2));
    pool("n2", exitIds.get(2));
    String two = awaitTrackedExit(2, null, Duration.ofSeconds(150));
    assertThat(two).isNotEqualTo(DE_EXIT);
    // until a node is pinned (one tick after its first stream) tor may move its new streams to
    // another clean circuit with another exit; the API follows the exit streams use, and "held by
    // another node" still holds: the three nodes' exits, each confirmed by the echo, differ
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    Set<Object> ips = new HashSet<>();
    while (System.nanoTime() < deadline) {
      ips.clear();
      ips.add(awaitTrackedExit(1, null, Duration.ofSeconds(60)));
      ips.add(awaitTrackedExit(2, null, Duration.ofSeconds(60)));
      ips.add(node(0).get("exitIp"));
      List<Map<String, Object>> nodes = nodes();
      Set<Object> shown = new HashSet<>();
      nodes.forEach(n -> shown.add(n.get("exitIp")));
      if (ips.size() == 3 && shown.equals(ips)) {
        break;
      }
      Thread.sleep(2000);
    }
    assertThat(ips).as("exit IPs of the three nodes: " + nodes()).hasSize(3);
    assertThat(ips).contains(DE_EXIT);
  }

  @Test
  @Order(5)
  void scalingDownStopsANodeWhenItsLastSessionEnds() throws Exception {
    String exitName = (String) node(2).get("exitName");
    long pid = ((Number) node(2).get("pid")).longValue();
    // a session through node 2 that stays open: curl's telnet:// holds the connection while its
    // stdin is open (the echo waits for a request line that never comes)
    Process held =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                NS,
                "curl",
                "-s",
                "-x",
                "socks5h://127.0.0.1:1080",
                "--proxy-user",
                user + "-pool-n2:" + userPassword,
                "telnet://" + PrivateTorNetwork.ECHO + ":" + PrivateTorNetwork.ECHO_PORT)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      await(Duration.ofSeconds(60), () -> sessionsOn(exitName) == 1);
      settings(2, Map.of("0", List.of("de"), "1", OTHERS, "2", OTHERS), 0);
      await(
          Duration.ofSeconds(30),
          () -> Boolean.FALSE.equals(api().get("/api/v1/exits/" + exitIds.get(2)).path("enabled")));
      // draining: no new sessions through node 2, but it runs on while its session is open
      Thread.sleep(5000);
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
      assertThat(sessionsOn(exitName)).isEqualTo(1);
      assertThat(echoVia(user + "-pool-tor")).as("the other nodes serve").isNotNull();
    } finally {
      held.destroy();
      held.waitFor(10, TimeUnit.SECONDS);
    }
    long t0 = System.nanoTime();
    await(Duration.ofSeconds(30), () -> gone(pid));
    System.out.printf(
        "TorNetworkIT: node 2 stopped %.1f s after its last session closed (drain limit 120 s)%n",
        (System.nanoTime() - t0) / 1e9);
    await(Duration.ofSeconds(30), () -> nodes().size() == 2);
  }

  /** Live sessions of the server that leave through the exit {@code exitName}. */
  static long sessionsOn(String exitName) {
    return Api.items(api().get("/api/v1/sessions")).stream()
        .filter(x -> exitName.equals(x.get("exitName")))
        .count();
  }

  @Test
  @Order(6)
  void benchmark() throws Exception {
    String size = System.getenv("SLUICE_IT_TOR_BENCH");
    assumeTrue(size != null && size.matches("\\d{1,2}"), "SLUICE_IT_TOR_BENCH=N not set");
    int n = Integer.parseInt(size);
    settings(0, Map.of(), 0);
    await(Duration.ofSeconds(60), () -> nodes().isEmpty());
    long t0 = System.nanoTime();
    settings(n, Map.of(), 0);
    Map<Integer, Double> ready = awaitReady(n, Duration.ofSeconds(600));
    double all = (System.nanoTime() - t0) / 1e9;
    long rss = 0;
    for (Map<String, Object> node : nodes()) {
      rss += rssKiB(((Number) node.get("pid")).longValue());
    }
    System.out.printf(
        "TorNetworkIT bench: %d nodes ready in %.1f s (per node %s); RSS %d KiB total, %d KiB per node%n",
        n, all, ready, rss, rss / n);
    Map<Integer, Long> before = new HashMap<>();
    for (Map<String, Object> node : nodes()) {
      before.put(
          ((Number) node.get("index")).intValue(), ((Number) node.get("newnyms")).longValue());
    }
    long r0 = System.nanoTime();
    assertThat(api().post("/api/v1/tor/rotate").statusCode()).isEqualTo(200);
    await(
        Duration.ofSeconds(120),
        () ->
            nodes().stream()
                .allMatch(x ->
                    ((Number) x.get("newnyms")).longValue()
                        > before.getOrDefault(((Number) x.get("index")).intValue(), 0L)));
    double rot = (System.nanoTime() - r0) / 1e9;
    System.out.printf(
        "TorNetworkIT bench: POST /api/v1/tor/rotate on %d nodes: all NEWNYMs done in %.1f s (%.2f/s)%n",
        n, rot, n / rot);
  }

  @Test
  @Order(7)
  void killNineOfTheServerLeavesNoTorBehind() throws Exception {
    List<Long> pids = nodes().stream().map(x -> ((Number) x.get("pid")).longValue()).toList();
    assertThat(pids).isNotEmpty();
    ProcessHandle jvm = server.jvm().orElseThrow();
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
          .as("tor %d is a child of the server's JVM", pid)
          .contains(jvm.pid());
    }
    String dataDir = server.serverDir().resolve("tor").toString();
    assertThat(torsUnder(dataDir)).hasSameSizeAs(pids);
    long t0 = System.nanoTime();
    server.kill();
    await(Duration.ofSeconds(30), () -> torsUnder(dataDir).isEmpty());
    System.out.printf(
        "TorNetworkIT: after kill -9 of the server, its %d tor(s) were gone in %.1f s%n",
        pids.size(), (System.nanoTime() - t0) / 1e9);
    for (long pid : pids) {
      assertThat(gone(pid)).as("tor %d", pid).isTrue();
    }
    server = null;
  }

  // --- helpers ---

  /** Live tor processes whose command line names a torrc under {@code dataDir}. */
  static List<Long> torsUnder(String dataDir) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("/tor")).orElse(false))
        .filter(
            p -> p.info().arguments().map(a -> String.join(" ", a).contains(dataDir)).orElse(false))
        .map(ProcessHandle::pid)
        .toList();
  }

  /**
   * Waits until the build's server answers {@code /health/ready} (its first admin exists then; on a
   * fresh PostgreSQL database the migrations may still run when the first test class starts).
   */
  static void awaitBuildServerReady() throws InterruptedException {
    await(
        Duration.ofSeconds(120),
        () -> {
          try {
            return Api.anon().get("/health/ready").statusCode() == 200;
          } catch (RuntimeException e) {
            return false;
          }
        });
  }

  /** Whether {@code pid} has exited (gone, or a zombie its new parent has not reaped yet). */
  static boolean gone(long pid) {
    if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
      return true;
    }
    try {
      String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (Exception e) {
      return true;
    }
  }

  static long rssKiB(long pid) {
    try {
      for (String l : java.nio.file.Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("\\D", ""));
        }
      }
    } catch (Exception e) {
      return 0;
    }
    return 0;
  }

  static void settings(int size, Map<String, List<String>> nodeCountries, int window) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("size", size);
    body.put("rotationIntervalSeconds", 0);
    body.put("countries", List.of());
    body.put("nodeCountries", nodeCountries);
    body.put("extraLines", List.of());
    body.put("noRepeatWindow", window);
    Response r = api().body(body).put("/api/v1/tor/settings");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
  }

  /** Waits until {@code size} nodes are ready; seconds from now to each node's readiness. */
  static Map<Integer, Double> awaitReady(int size, Duration max) throws InterruptedException {
    long t0 = System.nanoTime();
    Map<Integer, Double> ready = new TreeMap<>();
    long deadline = t0 + max.toNanos();
    while (System.nanoTime() < deadline) {
      List<Map<String, Object>> nodes = nodes();
      for (Map<String, Object> n : nodes) {
        int i = ((Number) n.get("index")).intValue();
        if ("ready".equals(n.get("state")) && i < size) {
          ready.putIfAbsent(i, Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        }
        assertThat(n.get("state")).as("node %d: %s", i, n).isNotEqualTo("failed");
      }
      if (ready.size() == size && nodes.size() == size) {
        return ready;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("not all " + size + " nodes ready within " + max + ": " + nodes());
  }

  /**
   * Sends requests through node {@code index} (its own pool) until the echo sees the exit the API
   * shows for the node, and that exit is not {@code unlike}; returns it.
   */
  static String awaitTrackedExit(int index, String unlike, Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      last = echoVia(user + "-pool-n" + index);
      Object api = node(index).get("exitIp");
      if (last != null && last.equals(api) && !last.equals(unlike)) {
        // the tracker may still be rotating it away (a repeat): it must stay put for a while
        Thread.sleep(3000);
        String again = echoVia(user + "-pool-n" + index);
        if (last.equals(again) && last.equals(node(index).get("exitIp"))) {
          return last;
        }
      }
      Thread.sleep(2000);
    }
    throw new AssertionError(
        "node " + index + ": echo saw " + last + ", the API shows " + node(index));
  }

  static String awaitEcho(String username, Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      String ip = echoVia(username);
      if (ip != null) {
        return ip;
      }
      Thread.sleep(2000);
    }
    throw new AssertionError("no answer through " + username + " within " + max);
  }

  /** The address the echo saw through Sluice's SOCKS5 port with {@code username}, or null. */
  static String echoVia(String username) throws Exception {
    return curlEcho(1080, username + ":" + userPassword, 20);
  }

  /**
   * The address the echo saw through the SOCKS5 port {@code socksPort} of the namespace's 127.0.0.1
   * (Sluice's, or a tor node's) with {@code user:password}, or null.
   */
  static String curlEcho(int socksPort, String credentials, int maxSeconds) throws Exception {
    Process p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                NS,
                "curl",
                "-s",
                "--max-time",
                String.valueOf(maxSeconds),
                "-x",
                "socks5h://127.0.0.1:" + socksPort,
                // not in the URL: the generated password may hold characters a URL would need
                // escaped
                "--proxy-user",
                credentials,
                "http://" + PrivateTorNetwork.ECHO + ":" + PrivateTorNetwork.ECHO_PORT + "/")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    if (!p.waitFor(maxSeconds + 10L, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return null;
    }
    return out.matches("\\d{1,3}(\\.\\d{1,3}){3}") ? out : null;
  }

  static void pool(String name, long exitId) {
    Response r =
        api()
            .body(Map.of("name", name, "strategy", "round-robin", "exits", List.of(exitId)))
            .post("/api/v1/pools");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
  }

  static long exitIdOf(int index) {
    String name = (String) node(index).get("exitName");
    for (Map<String, Object> e :
        Api.items(api().queryParam("pool", "tor").queryParam("size", 100).get("/api/v1/exits"))) {
      if (name.equals(e.get("name"))) {
        return ((Number) e.get("id")).longValue();
      }
    }
    throw new AssertionError("no exit " + name);
  }

  static List<Map<String, Object>> nodes() {
    Response r = api().get("/api/v1/tor/nodes");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    return r.jsonPath().getList("$");
  }

  static Map<String, Object> node(int index) {
    return nodes().stream()
        .filter(n -> ((Number) n.get("index")).intValue() == index)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no node " + index + ": " + nodes()));
  }

  static void await(Duration max, Supplier<Boolean> done) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (Boolean.TRUE.equals(done.get())) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("not reached within " + max);
  }

  static RequestSpecification api() {
    return given()
        .baseUri(server.baseUrl())
        .contentType(ContentType.JSON)
        .header("Authorization", "Bearer " + token);
  }

  static String login() {
    Response first =
        given()
            .baseUri(server.baseUrl())
            .contentType(ContentType.JSON)
            .body(Map.of("username", "admin", "password", PASSWORD))
            .post("/api/v1/auth/login");
    assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
    Response changed =
        given()
            .baseUri(server.baseUrl())
            .contentType(ContentType.JSON)
            .header("Authorization", "Bearer " + first.path("accessToken"))
            .body(Map.of("currentPassword", PASSWORD, "newPassword", Api.ADMIN_PASSWORD))
            .post("/api/v1/auth/password");
    assertThat(changed.statusCode()).as(changed.asString()).isEqualTo(200);
    return changed.path("accessToken");
  }
}
