package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.ExitRoutingIT.createExit;
import static io.sluice.it.ExitRoutingIT.createPool;
import static io.sluice.it.ExitRoutingIT.listening;
import static io.sluice.it.ExitRoutingIT.user;
import static io.sluice.it.ExitRoutingIT.waitListening;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dedicated ports that recover, and no silent direct egress (issue 12, items 4 and 5): real
 * upstream exits (microsocks, each leaving from its own loopback address 127.0.0.6-9 so the origin
 * tells them apart), one of them killed and checked unhealthy.
 */
class DedicatedRecoveryIT {

  static Fixtures fx;
  static final Map<String, Process> upstreams = new HashMap<>();
  static final Map<String, Integer> exits = new HashMap<>();

  @BeforeAll
  static void setUp() throws Exception {
    OutsidePrograms.require("microsocks", "microsocks");
    OutsidePrograms.require("curl", "curl");
    fx = new Fixtures();
    for (String ip : List.of("127.0.0.6", "127.0.0.7", "127.0.0.8", "127.0.0.9")) {
      int port = Fixtures.freePort();
      upstreams.put(
          ip,
          new ProcessBuilder("microsocks", "-i", "127.0.0.1", "-p", String.valueOf(port), "-b", ip)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start());
      waitListening(port);
      exits.put(
          ip,
          createExit(
              Map.of(
                  "name",
                  Api.unique("dr"),
                  "kind",
                  "socks5",
                  "host",
                  "127.0.0.1",
                  "port",
                  port,
                  "country",
                  "de",
                  "checkUrl",
                  "http://127.0.0.1:" + fx.httpPort() + "/ip")));
    }
  }

  @AfterAll
  static void tearDown() throws IOException {
    upstreams.values().forEach(Process::destroyForcibly);
    if (fx != null) {
      fx.close();
    }
  }

  static ProxyIT.Result socks(int port, String[] u) throws Exception {
    return ProxyIT.run(
        "curl",
        "-sS",
        "--max-time",
        "15",
        "-x",
        "socks5h://" + u[0] + ":" + u[1] + "@127.0.0.1:" + port,
        "http://127.0.0.1:" + fx.httpPort() + "/ip");
  }

  static String httpStatus(int port, String[] u) throws Exception {
    return ProxyIT.run(
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--max-time",
            "15",
            "-x",
            "http://" + u[0] + ":" + u[1] + "@127.0.0.1:" + port,
            "http://127.0.0.1:" + fx.httpPort() + "/ip")
        .out();
  }

  static String ipOf(int exitId) {
    return exits.entrySet().stream()
        .filter(e -> e.getValue() == exitId)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aKilledPinnedExitMovesThePortAndTheIpChangeIsRecorded() throws Exception {
    int a = exits.get("127.0.0.6");
    int b = exits.get("127.0.0.7");
    for (int id : List.of(a, b)) {
      admin().post("/api/v1/exits/" + id + "/check").then().statusCode(200);
    }
    String pool = createPool(List.of(a, b));
    String[] u = user(pool);
    Response assigned = admin().post("/api/v1/users/" + u[2] + "/assignment");
    assertThat(assigned.statusCode()).as(assigned.asString()).isEqualTo(201);
    int port = assigned.path("port");
    int pinned = assigned.path("exitId");
    assertThat((String) assigned.path("reassign")).isEqualTo("auto");
    String pinnedIp = ipOf(pinned);
    String otherIp = pinned == a ? "127.0.0.7" : "127.0.0.6";
    await().atMost(10, TimeUnit.SECONDS).until(() -> listening(port));
    assertThat(socks(port, u).out()).isEqualTo("{\"ip\":\"" + pinnedIp + "\"}");

    upstreams.get(pinnedIp).destroyForcibly().waitFor();
    for (int i = 0; i < 3; i++) {
      admin().post("/api/v1/exits/" + pinned + "/check");
    }
    assertThat((String) admin().get("/api/v1/exits/" + pinned).path("state"))
        .isEqualTo("unhealthy");

    Response after = admin().get("/api/v1/users/" + u[2] + "/assignment");
    assertThat((Integer) after.path("exitId")).isEqualTo(exits.get(otherIp));
    assertThat((Integer) after.path("history[0].fromExitId")).isEqualTo(pinned);
    assertThat((String) after.path("history[0].fromIp")).isEqualTo(pinnedIp);
    assertThat((String) after.path("history[0].toIp")).isEqualTo(otherIp);
    assertThat((String) after.path("history[0].reason")).contains("unhealthy");
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> socks(port, u).out().equals("{\"ip\":\"" + otherIp + "\"}"));
    assertThat(Api.anon().accept("text/plain").get("/metrics").asString())
        .contains("sluice_dedicated_reassignments_total");
    admin().delete("/api/v1/users/" + u[2] + "/assignment");
  }

  @Test
  void reassignNeverRefusesInsteadOfLeavingDirectly() throws Exception {
    int c = exits.get("127.0.0.8");
    int d = exits.get("127.0.0.9");
    String pool = createPool(List.of(c, d));
    String[] u = user(pool);
    Response assigned = admin().post("/api/v1/users/" + u[2] + "/assignment");
    int port = assigned.path("port");
    int pinned = assigned.path("exitId");
    Response never =
        admin().body(Map.of("reassign", "never")).patch("/api/v1/users/" + u[2] + "/assignment");
    assertThat(never.statusCode()).as(never.asString()).isEqualTo(200);
    assertThat((String) never.path("reassign")).isEqualTo("never");
    await().atMost(10, TimeUnit.SECONDS).until(() -> listening(port));
    admin()
        .body(Map.of("state", "unhealthy"))
        .patch("/api/v1/exits/" + pinned)
        .then()
        .statusCode(200);
    try {
      await().atMost(10, TimeUnit.SECONDS).until(() -> socks(port, u).code() == 97);
      assertThat(httpStatus(port, u)).isEqualTo("503");
      Response kept = admin().get("/api/v1/users/" + u[2] + "/assignment");
      assertThat((Integer) kept.path("exitId")).isEqualTo(pinned);
      assertThat(kept.<List<?>>path("history")).isEmpty();

      // back to auto: the port moves at once and serves again
      admin()
          .body(Map.of("reassign", "auto"))
          .patch("/api/v1/users/" + u[2] + "/assignment")
          .then()
          .statusCode(200);
      int moved = admin().get("/api/v1/users/" + u[2] + "/assignment").path("exitId");
      assertThat(moved).isNotEqualTo(pinned);
      await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> socks(port, u).out().equals("{\"ip\":\"" + ipOf(moved) + "\"}"));
    } finally {
      admin().body(Map.of("state", "healthy")).patch("/api/v1/exits/" + pinned);
      admin().delete("/api/v1/users/" + u[2] + "/assignment");
    }
  }

  @Test
  void aDedicatedPortWithoutAPoolRefuses() throws Exception {
    String[] u = user(null);
    Response assigned = admin().post("/api/v1/users/" + u[2] + "/assignment");
    int port = assigned.path("port");
    assertThat((Object) assigned.path("exitId")).isNull();
    await().atMost(10, TimeUnit.SECONDS).until(() -> listening(port));
    try {
      assertThat(socks(port, u).code()).isEqualTo(97);
    } finally {
      admin().delete("/api/v1/users/" + u[2] + "/assignment");
    }
  }

  @Test
  void deletingAUsedPoolIsAConflictAndForceLeavesItsUsersRefusedNotDirect() throws Exception {
    String pool = createPool(List.of(exits.get("127.0.0.9")));
    String[] u = user(pool);
    assertThat(socks(ProxyIT.SOCKS, u).out()).isEqualTo("{\"ip\":\"127.0.0.9\"}");
    int poolId =
        admin()
            .get("/api/v1/pools")
            .jsonPath()
            .getInt("items.find { it.name == '" + pool + "' }.id");

    Response refused = admin().delete("/api/v1/pools/" + poolId);
    assertProblem(refused, 409, "pool-in-use");
    assertThat(refused.asString()).contains(u[0]);

    assertThat(admin().queryParam("force", true).delete("/api/v1/pools/" + poolId).statusCode())
        .isEqualTo(204);
    await().atMost(10, TimeUnit.SECONDS).until(() -> socks(ProxyIT.SOCKS, u).code() == 97);
  }
}
