package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Health checks through real exits: echo IP, mismatch, hysteresis, recovery, error pages,
 * summaries.
 */
class ExitHealthIT {

  static Fixtures fx;
  static Process upstream;
  static int upstreamPort;

  @BeforeAll
  static void setUp() throws IOException {
    OutsidePrograms.require("microsocks", "microsocks");
    fx = new Fixtures();
    upstreamPort = Fixtures.freePort();
    upstream = startMicrosocks(upstreamPort);
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (upstream != null) {
      upstream.destroyForcibly();
    }
    if (fx != null) {
      fx.close();
    }
  }

  static Process startMicrosocks(int port) throws IOException {
    Process p =
        new ProcessBuilder(
                "microsocks", "-i", "127.0.0.1", "-p", String.valueOf(port), "-b", "127.0.0.2")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    await().atMost(10, TimeUnit.SECONDS).until(() -> ExitRoutingIT.listening(port));
    return p;
  }

  static int exit(Map<String, Object> extra) {
    Map<String, Object> body =
        new java.util.HashMap<>(
            Map.of(
                "name",
                Api.unique("hx"),
                "kind",
                "socks5",
                "host",
                "127.0.0.1",
                "port",
                upstreamPort,
                "checkUrl",
                "http://127.0.0.1:" + fx.httpPort() + "/ip"));
    body.putAll(extra);
    Response r = admin().body(body).post("/api/v1/exits");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return r.path("id");
  }

  static Response check(int id) {
    Response r = admin().post("/api/v1/exits/" + id + "/check");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    return r;
  }

  @Test
  void checkGoesThroughTheExitAndRecordsItsAddress() {
    int id = exit(Map.of("expectedIp", "127.0.0.2"));
    Response r = check(id);
    assertThat((Boolean) r.path("healthy")).isTrue();
    assertThat((String) r.path("actualIp")).isEqualTo("127.0.0.2");
    assertThat((Boolean) r.path("ipMismatch")).isFalse();
    Response exit = admin().get("/api/v1/exits/" + id);
    assertThat((String) exit.path("actualIp")).isEqualTo("127.0.0.2");
    assertThat((String) exit.path("lastVerifiedAt")).isNotNull();
    List<Map<String, Object>> checks = Api.items(admin().get("/api/v1/exits/" + id + "/checks"));
    assertThat(checks).hasSize(1);
    String self =
        Api.items(admin().get("/api/v1/nodes")).stream()
            .filter(n -> Boolean.TRUE.equals(n.get("self")))
            .map(n -> (String) n.get("name"))
            .findFirst()
            .orElseThrow();
    assertThat(checks.get(0).get("checkedBy")).as("the server that ran the check").isEqualTo(self);
  }

  @Test
  void theDefaultCheckUrlIsThisServersOwnEcho() {
    Response created =
        admin().body(Map.of("name", Api.unique("dflt"), "kind", "direct")).post("/api/v1/exits");
    int id = created.path("id");
    Response r = check(id);
    assertThat((Boolean) r.path("healthy")).as(r.asString()).isTrue();
    assertThat((String) r.path("actualIp")).isEqualTo("127.0.0.1");
  }

  @Test
  void expectedIpMismatchIsFlagged() {
    int id = exit(Map.of("expectedIp", "203.0.113.9"));
    Response r = check(id);
    assertThat((Boolean) r.path("healthy")).isTrue();
    assertThat((Boolean) r.path("ipMismatch")).isTrue();
  }

  @Test
  void aProviderErrorPageWithStatus200IsNotHealthy() {
    int id = exit(Map.of("checkUrl", "http://127.0.0.1:" + fx.httpPort() + "/provider-error"));
    Response r = check(id);
    assertThat((Integer) r.path("httpStatus")).isEqualTo(200);
    assertThat((Boolean) r.path("healthy")).isFalse();
    assertThat((String) r.path("state")).isEqualTo("suspect");
  }

  @Test
  void hysteresisDownAndRecoveryUp() throws Exception {
    int port = Fixtures.freePort();
    Process own = startMicrosocks(port);
    int id = exit(Map.of("port", port));
    try {
      assertThat((String) check(id).path("state")).isEqualTo("healthy");
      own.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      assertThat((String) check(id).path("state")).isEqualTo("suspect");
      assertThat((String) check(id).path("state")).isEqualTo("suspect");
      Response third = check(id);
      assertThat((String) third.path("state")).isEqualTo("unhealthy");
      assertThat((String) third.path("error")).isNotBlank();
      own = startMicrosocks(port);
      assertThat((String) check(id).path("state"))
          .as("one success is not enough")
          .isEqualTo("unhealthy");
      assertThat((String) check(id).path("state")).isEqualTo("healthy");
      assertThat(Api.items(admin().get("/api/v1/exits/" + id + "/checks"))).hasSize(6);
    } finally {
      own.destroyForcibly();
    }
  }

  @Test
  void checkAllSummarisesAndMetricsAndReadinessReport() {
    int a = exit(Map.of());
    int dead = exit(Map.of("port", 1));
    String pool = Api.unique("hp").toLowerCase();
    admin()
        .body(Map.of("name", pool, "strategy", "random", "exits", List.of(a, dead)))
        .post("/api/v1/pools")
        .then()
        .statusCode(201);
    Response s =
        admin().queryParam("pool", pool).queryParam("wait", true).post("/api/v1/exits/check");
    assertThat(s.statusCode()).as(s.asString()).isEqualTo(200);
    assertThat((Integer) s.path("total")).isEqualTo(2);
    assertThat((Integer) s.path("healthy")).isEqualTo(1);
    assertThat((Integer) s.path("unhealthy")).isEqualTo(1);
    String metrics = Api.anon().accept("text/plain").get("/metrics").asString();
    assertThat(metrics).contains("sluice_exit_checks_total{").contains("sluice_exits{");
    Response ready = Api.anon().get("/health/ready");
    assertThat(ready.<List<String>>path("checks.name")).contains("sluice.exits");
    assertThat(admin().get("/api/v1/exits/monitor").<Boolean>path("running")).isNotNull();
  }
}
