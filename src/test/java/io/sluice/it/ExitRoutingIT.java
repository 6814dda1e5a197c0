package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sessions leave through real upstream SOCKS5 exits (microsocks, each binding its outgoing
 * connections to its own loopback address so the origin can tell which exit was used): default
 * pool, username routing, failover past a dead exit, and dedicated ports.
 */
class ExitRoutingIT {

  static final int SOCKS = ProxyIT.SOCKS;
  static Fixtures fx;
  static final List<Process> upstreams = new ArrayList<>();
  static int exitA;
  static int exitB;
  static int deadExit;
  static String poolA;
  static String poolB;
  static String poolFailover;

  @BeforeAll
  static void setUp() throws Exception {
    OutsidePrograms.require("microsocks", "microsocks");
    OutsidePrograms.require("curl", "curl");
    fx = new Fixtures();
    int portA = Fixtures.freePort();
    int portB = Fixtures.freePort();
    upstreams.add(
        new ProcessBuilder(
                "microsocks", "-i", "127.0.0.1", "-p", String.valueOf(portA), "-b", "127.0.0.2")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start());
    upstreams.add(
        new ProcessBuilder(
                "microsocks",
                "-i",
                "127.0.0.1",
                "-p",
                String.valueOf(portB),
                "-b",
                "127.0.0.3",
                "-u",
                "exituser",
                "-P",
                "exit-Secret-1")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start());
    waitListening(portA);
    waitListening(portB);
    exitA =
        createExit(
            Map.of(
                "name", Api.unique("exA"), "kind", "socks5", "host", "127.0.0.1", "port", portA));
    exitB =
        createExit(
            Map.of(
                "name",
                Api.unique("exB"),
                "kind",
                "socks5",
                "host",
                "127.0.0.1",
                "port",
                portB,
                "username",
                "exituser",
                "password",
                "exit-Secret-1"));
    deadExit =
        createExit(
            Map.of(
                "name",
                Api.unique("dead"),
                "kind",
                "socks5",
                "host",
                "127.0.0.1",
                "port",
                Fixtures.freePort()));
    poolA = createPool(List.of(exitA));
    poolB = createPool(List.of(exitB));
    poolFailover = createPool(List.of(deadExit, exitB));
  }

  @AfterAll
  static void tearDown() throws IOException {
    upstreams.forEach(Process::destroyForcibly);
    if (fx != null) {
      fx.close();
    }
  }

  static int createExit(Map<String, Object> body) {
    Response r = admin().body(body).post("/api/v1/exits");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return r.path("id");
  }

  static String createPool(List<Integer> exits) {
    String name = Api.unique("p").toLowerCase();
    Response r =
        admin()
            .body(Map.of("name", name, "strategy", "round-robin", "exits", exits))
            .post("/api/v1/pools");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return name;
  }

  static String[] user(String defaultPool) {
    Map<String, Object> body =
        new java.util.HashMap<>(
            Map.of(
                "username", Api.unique("ex"), "allowedDestinations", List.of(Fixtures.ALLOW_V4)));
    if (defaultPool != null) {
      body.put("defaultPool", defaultPool);
    }
    Response r = admin().body(body).post("/api/v1/users");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return new String[] {
      r.path("user.username"), r.path("password"), String.valueOf((Integer) r.path("user.id"))
    };
  }

  static String ipVia(int proxyPort, String username, String password) throws Exception {
    return ipVia(proxyPort, fx.httpPort(), username, password);
  }

  /** As above, against the IP echo on {@code echoPort} (another test class's own fixtures). */
  static String ipVia(int proxyPort, int echoPort, String username, String password)
      throws Exception {
    ProxyIT.Result r =
        ProxyIT.run(
            "curl",
            "-sS",
            "--max-time",
            "15",
            "-x",
            "socks5h://" + username + ":" + password + "@127.0.0.1:" + proxyPort,
            "http://127.0.0.1:" + echoPort + "/ip");
    return r.out();
  }

  @Test
  void defaultPoolRoutesThroughItsExit() throws Exception {
    String[] u = user(poolA);
    assertThat(ipVia(SOCKS, u[0], u[1])).isEqualTo("{\"ip\":\"127.0.0.2\"}");
    String[] direct = user(null);
    assertThat(ipVia(SOCKS, direct[0], direct[1])).isEqualTo("{\"ip\":\"127.0.0.1\"}");
  }

  @Test
  void usernameRoutingPicksThePoolAndUnknownPoolsAreRefused() throws Exception {
    String[] u = user(poolA);
    assertThat(ipVia(SOCKS, u[0] + "-pool-" + poolB, u[1])).isEqualTo("{\"ip\":\"127.0.0.3\"}");
    ProxyIT.Result refused =
        ProxyIT.run(
            "curl",
            "-s",
            "--max-time",
            "10",
            "-x",
            "socks5h://" + u[0] + "-pool-nosuchpool:" + u[1] + "@127.0.0.1:" + SOCKS,
            "http://127.0.0.1:" + fx.httpPort() + "/ip");
    assertThat(refused.code()).isEqualTo(97);
  }

  @Test
  void roundRobinAlternatesAndStickySessionsStay() throws Exception {
    String rr = createPool(List.of(exitA, exitB));
    String[] u = user(rr);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      seen.add(ipVia(SOCKS, u[0], u[1]));
    }
    assertThat(seen).containsExactlyInAnyOrder("{\"ip\":\"127.0.0.2\"}", "{\"ip\":\"127.0.0.3\"}");

    String sticky = Api.unique("st").toLowerCase();
    admin()
        .body(Map.of("name", sticky, "strategy", "sticky", "exits", List.of(exitA, exitB)))
        .post("/api/v1/pools")
        .then()
        .statusCode(201);
    for (String session : List.of("s1", "s2", "s3")) {
      String first = ipVia(SOCKS, u[0] + "-pool-" + sticky + "-session-" + session, u[1]);
      for (int i = 0; i < 3; i++) {
        assertThat(ipVia(SOCKS, u[0] + "-pool-" + sticky + "-session-" + session, u[1]))
            .isEqualTo(first);
      }
    }
  }

  @Test
  void unhealthyExitsAreSkipped() throws Exception {
    String pool = createPool(List.of(exitA, exitB));
    String[] u = user(pool);
    admin()
        .body(Map.of("state", "unhealthy"))
        .patch("/api/v1/exits/" + exitA)
        .then()
        .statusCode(200);
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(ipVia(SOCKS, u[0], u[1])).isEqualTo("{\"ip\":\"127.0.0.3\"}");
      }
    } finally {
      admin()
          .body(Map.of("state", "healthy"))
          .patch("/api/v1/exits/" + exitA)
          .then()
          .statusCode(200);
    }
  }

  @Test
  void aPoolTheUserMayNotUseIsRefused() throws Exception {
    String[] u = user(poolA);
    admin()
        .body(Map.of("allowedPools", List.of(poolA)))
        .patch("/api/v1/users/" + u[2])
        .then()
        .statusCode(200);
    assertThat(ipVia(SOCKS, u[0] + "-pool-" + poolA, u[1])).isEqualTo("{\"ip\":\"127.0.0.2\"}");
    ProxyIT.Result refused =
        ProxyIT.run(
            "curl",
            "-s",
            "--max-time",
            "10",
            "-x",
            "socks5h://" + u[0] + "-pool-" + poolB + ":" + u[1] + "@127.0.0.1:" + SOCKS,
            "http://127.0.0.1:" + fx.httpPort() + "/ip");
    assertThat(refused.code()).isEqualTo(97);
  }

  @Test
  void deadExitFailsOverToTheNext() throws Exception {
    String[] u = user(poolFailover);
    assertThat(ipVia(SOCKS, u[0], u[1])).isEqualTo("{\"ip\":\"127.0.0.3\"}");
  }

  @Test
  void dedicatedPortPinsTheExitAndOnlyItsOwner() throws Exception {
    String[] owner = user(poolB);
    String[] other = user(poolB);
    Response first = admin().post("/api/v1/users/" + owner[2] + "/assignment");
    assertThat(first.statusCode()).as(first.asString()).isEqualTo(201);
    int port = first.path("port");
    assertThat((Integer) first.path("exitId")).isEqualTo(exitB);
    Response again = admin().post("/api/v1/users/" + owner[2] + "/assignment");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat((Integer) again.path("port")).isEqualTo(port);

    await().atMost(10, TimeUnit.SECONDS).until(() -> listening(port));
    assertThat(ipVia(port, owner[0], owner[1])).isEqualTo("{\"ip\":\"127.0.0.3\"}");
    ProxyIT.Result http =
        ProxyIT.run(
            "curl",
            "-sS",
            "--max-time",
            "15",
            "-x",
            "http://" + owner[0] + ":" + owner[1] + "@127.0.0.1:" + port,
            "http://127.0.0.1:" + fx.httpPort() + "/ip");
    assertThat(http.out()).isEqualTo("{\"ip\":\"127.0.0.3\"}");
    assertThat(
            ProxyIT.run(
                    "curl",
                    "-s",
                    "--max-time",
                    "10",
                    "-x",
                    "socks5h://" + other[0] + ":" + other[1] + "@127.0.0.1:" + port,
                    "http://127.0.0.1:" + fx.httpPort() + "/ip")
                .code())
        .isEqualTo(97);

    assertThat(admin().delete("/api/v1/users/" + owner[2] + "/assignment").statusCode())
        .isEqualTo(204);
    await().atMost(10, TimeUnit.SECONDS).until(() -> !listening(port));
  }

  @Test
  void concurrentAssignmentIsRaceFree() throws Exception {
    List<String[]> users = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      users.add(user(null));
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (String[] u : users) {
        for (int k = 0; k < 3; k++) { // each user asks three times at once
          calls.add(() -> admin().post("/api/v1/users/" + u[2] + "/assignment").path("port"));
        }
      }
      List<Future<Integer>> results = pool.invokeAll(calls, 60, TimeUnit.SECONDS);
      Map<String, Set<Integer>> portsByUser = new java.util.HashMap<>();
      for (int i = 0; i < calls.size(); i++) {
        portsByUser
            .computeIfAbsent(users.get(i / 3)[2], k -> new HashSet<>())
            .add(results.get(i).get());
      }
      assertThat(portsByUser.values()).allMatch(s -> s.size() == 1);
      Set<Integer> all = new HashSet<>();
      portsByUser.values().forEach(all::addAll);
      assertThat(all).hasSize(users.size());
    } finally {
      pool.shutdownNow();
      for (String[] u : users) {
        admin().delete("/api/v1/users/" + u[2] + "/assignment");
      }
    }
  }

  @Test
  void upstreamPasswordsStayOutOfTheLog() throws Exception {
    Path log =
        Path.of(
            System.getProperty(
                "sluice.it.server.log", "target/liberty/wlp/usr/servers/sluice/logs/messages.log"));
    assertThat(Files.readString(log)).doesNotContain("exit-Secret-1");
  }

  static boolean listening(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void waitListening(int port) {
    await().atMost(10, TimeUnit.SECONDS).until(() -> listening(port));
  }
}
