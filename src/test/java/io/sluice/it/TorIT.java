package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Tor fleet through the API, with real tor processes that the server starts with {@code
 * DisableNetwork 1} (liberty/tor-offline.torrc): scale to 2, nodes listed with their server and
 * bootstrap state, their exits of kind tor in pool tor, a rotation, a bad extra line refused, then
 * scale to 0 and the processes gone. The process-level cases (kill -9, 3 -> 5 -> 2, owner death)
 * are in {@code io.sluice.tor.infra}.
 */
class TorIT {

  @BeforeAll
  static void requireTor() throws InterruptedException {
    OutsidePrograms.require("tor", "tor");
    TorNetworkIT.awaitBuildServerReady();
  }

  @AfterAll
  static void scaleToZero() {
    admin().body(Map.of("size", 0)).post("/api/v1/tor/nodes/scale");
  }

  static List<Map<String, Object>> nodes() {
    Response r = admin().get("/api/v1/tor/nodes");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    return r.jsonPath().getList("$");
  }

  @Test
  void scaleRotateAndScaleToZero() {
    Response s = admin().get("/api/v1/tor/settings");
    assertThat(s.statusCode()).isEqualTo(200);
    assertThat(s.<Integer>path("rotationIntervalSeconds")).isEqualTo(600);

    Response bad =
        admin()
            .body(Map.of("extraLines", List.of("ControlPort 0.0.0.0:9051")))
            .put("/api/v1/tor/settings");
    assertThat(bad.statusCode()).as(bad.asString()).isEqualTo(400);
    assertThat(bad.asString()).contains("ControlPort is not allowed");

    Response scaled = admin().body(Map.of("size", 2)).post("/api/v1/tor/nodes/scale");
    assertThat(scaled.statusCode()).as(scaled.asString()).isEqualTo(200);
    assertThat(scaled.<Integer>path("size")).isEqualTo(2);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() ->
            nodes().size() == 2
                && nodes().stream().allMatch(n -> "bootstrapping".equals(n.get("state"))));
    List<Map<String, Object>> two = nodes();
    for (Map<String, Object> n : two) {
      assertThat(n.get("server")).isNotNull();
      assertThat(n.get("pid")).isNotNull();
      assertThat(n.get("bootstrapPercent")).isEqualTo(0);
      assertThat(n.get("exitName").toString()).startsWith("tor-");
    }
    Response exits = admin().queryParam("pool", "tor").get("/api/v1/exits");
    assertThat(exits.statusCode()).as(exits.asString()).isEqualTo(200);
    assertThat(exits.asString())
        .contains("\"kind\":\"tor\"")
        .contains(two.get(0).get("exitName").toString());

    Object id = two.get(0).get("id");
    Response rot = admin().post("/api/v1/tor/nodes/" + id + "/rotate");
    assertThat(rot.statusCode()).as(rot.asString()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() ->
            nodes().stream()
                .anyMatch(
                    n -> n.get("id").equals(id) && ((Number) n.get("newnyms")).intValue() >= 1));

    Response metrics = Api.anon().accept("text/plain").get("/metrics");
    assertThat(metrics.asString()).contains("sluice_tor_nodes").contains("sluice_tor_newnym_total");

    List<Long> pids = two.stream().map(n -> ((Number) n.get("pid")).longValue()).toList();
    assertThat(admin().body(Map.of("size", 0)).post("/api/v1/tor/nodes/scale").statusCode())
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(40)).until(() -> nodes().isEmpty());
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
  }
}
