package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Tor fleet on two Sluice servers sharing one PostgreSQL database (the build's server is A, a
 * second server from the same build, {@link ExtraServer}, is B on 127.0.0.2). Both run with the
 * build's {@code tor-offline.torrc} ({@code DisableNetwork 1}). Size 1 means one node per server:
 * each server starts its own tor (a child of its own JVM), both are listed by either server with
 * their server's name, each has its own exit in pool {@code tor}; a server refuses to rotate the
 * other's node or to health-check its exit, which the other server checks (and the check says so).
 * Then {@code kill -9} of B's JVM: B's tor exits by itself, A's runs on, and A removes B's stale
 * row and exit.
 */
class TorClusterIT {

  private static final int B_HTTP = 9180;
  private static final String B_NAME = "tor-node-b";

  private static ExtraServer nodeB;

  @BeforeAll
  static void startNodeB() throws Exception {
    String url = System.getenv().getOrDefault("DB_URL", "");
    assumeThat(url.startsWith("jdbc:postgresql:"))
        .as("two servers need a shared PostgreSQL database (DB_URL=%s)", url)
        .isTrue();
    OutsidePrograms.require("tor", "tor");
    TorNetworkIT.awaitBuildServerReady();
    Api.adminToken();
    nodeB =
        ExtraServer.named("tor-node-b")
            .env("HTTP_PORT", String.valueOf(B_HTTP))
            .env("HTTPS_PORT", "9543")
            .env("SLUICE_SOCKS_PORT", "1180")
            .env("SLUICE_HTTP_PROXY_PORT", "3228")
            .env("SLUICE_PROXY_BIND", "127.0.0.2")
            .env("SLUICE_NODE_NAME", B_NAME)
            .env("SLUICE_CLUSTER_ADVERTISE_URL", "http://127.0.0.1:" + B_HTTP)
            .env("SLUICE_EXITS_MONITOR_ENABLED", "false")
            .start(Duration.ofSeconds(180));
  }

  @AfterAll
  static void stop() throws Exception {
    admin().body(Map.of("size", 0)).post("/api/v1/tor/nodes/scale");
    if (nodeB != null) {
      nodeB.stop();
    }
  }

  private static RequestSpecification onB() {
    return RestAssured.given()
        .baseUri("http://127.0.0.1:" + B_HTTP)
        .header("Authorization", "Bearer " + Api.adminToken())
        .contentType("application/json")
        .accept("application/json");
  }

  static List<Map<String, Object>> nodes(RequestSpecification on) {
    Response r = on.get("/api/v1/tor/nodes");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    return r.jsonPath().getList("$");
  }

  static boolean bothRunning(List<Map<String, Object>> nodes) {
    return nodes.size() == 2
        && nodes.stream()
            .allMatch(n -> n.get("pid") != null && "bootstrapping".equals(n.get("state")));
  }

  @Test
  void eachServerRunsItsOwnTorListedWithItsServerAndKillNineLeavesNoneOfBs() throws Exception {
    Response scaled = admin().body(Map.of("size", 1)).post("/api/v1/tor/nodes/scale");
    assertThat(scaled.statusCode()).as(scaled.asString()).isEqualTo(200);
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> bothRunning(nodes(admin())) && bothRunning(nodes(onB())));

    List<Map<String, Object>> nodes = nodes(admin());
    Set<Object> servers = nodes.stream().map(n -> n.get("server")).collect(Collectors.toSet());
    assertThat(servers).hasSize(2).contains(B_NAME);
    assertThat(nodes).allSatisfy(n -> assertThat(n.get("index")).isEqualTo(0));
    Map<String, Object> onA =
        nodes.stream().filter(n -> !B_NAME.equals(n.get("server"))).findFirst().orElseThrow();
    Map<String, Object> onBNode =
        nodes.stream().filter(n -> B_NAME.equals(n.get("server"))).findFirst().orElseThrow();
    long pidA = ((Number) onA.get("pid")).longValue();
    long pidB = ((Number) onBNode.get("pid")).longValue();
    ProcessHandle jvmB = nodeB.jvm().orElseThrow();
    assertThat(ProcessHandle.of(pidB).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
        .as("B's tor is a child of B's JVM")
        .contains(jvmB.pid());
    assertThat(
            ProcessHandle.of(pidA)
                .flatMap(ProcessHandle::parent)
                .map(ProcessHandle::pid)
                .orElseThrow())
        .as("A's tor is not B's")
        .isNotEqualTo(jvmB.pid());
    assertThat(onBNode.get("exitName")).isEqualTo("tor-" + B_NAME + "-0");
    assertThat(onA.get("exitName")).isNotEqualTo(onBNode.get("exitName"));
    String exits =
        admin().queryParam("pool", "tor").queryParam("size", 100).get("/api/v1/exits").asString();
    assertThat(exits)
        .contains((String) onA.get("exitName"))
        .contains((String) onBNode.get("exitName"));

    // a server rotates only its own nodes
    Response refused = admin().post("/api/v1/tor/nodes/" + onBNode.get("id") + "/rotate");
    assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(409);
    assertThat(refused.asString()).contains(B_NAME);
    Response rotated = onB().post("/api/v1/tor/nodes/" + onBNode.get("id") + "/rotate");
    assertThat(rotated.statusCode()).as(rotated.asString()).isEqualTo(200);

    // a tor exit is health-checked only by the server that runs its tor (127.0.0.1:port there)
    Number exitB =
        admin()
            .queryParam("pool", "tor")
            .queryParam("size", 100)
            .get("/api/v1/exits")
            .jsonPath()
            .get("items.find { it.name == '" + onBNode.get("exitName") + "' }.id");
    assertThat(exitB).as("B's tor exit in pool tor").isNotNull();
    Response notHere = admin().post("/api/v1/exits/" + exitB + "/check");
    assertThat(notHere.statusCode()).as(notHere.asString()).isEqualTo(409);
    assertThat(notHere.asString()).contains(B_NAME);
    // B can check it, but an offline node has no SOCKS port: nothing to check yet (not a 500)
    Response onItsServer = onB().post("/api/v1/exits/" + exitB + "/check");
    assertThat(onItsServer.statusCode()).as(onItsServer.asString()).isEqualTo(409);
    assertThat(onItsServer.asString()).contains("without a SOCKS port").doesNotContain(B_NAME);

    // kill -9 of B's JVM: its tor exits by itself (TAKEOWNERSHIP, __OwningControllerProcess)
    nodeB.kill();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> TorNetworkIT.gone(pidB));
    assertThat(ProcessHandle.of(pidA).map(ProcessHandle::isAlive)).contains(true);
    nodeB = null;
    // B no longer rewrites its row: A removes it and its exit after the stale limit (10 s here)
    Awaitility.await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> nodes(admin()).stream().noneMatch(n -> B_NAME.equals(n.get("server"))));
    assertThat(
            admin()
                .queryParam("pool", "tor")
                .queryParam("size", 100)
                .get("/api/v1/exits")
                .asString())
        .doesNotContain((String) onBNode.get("exitName"))
        .contains((String) onA.get("exitName"));
  }
}
