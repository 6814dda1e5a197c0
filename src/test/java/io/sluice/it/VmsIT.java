package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * VMs over the API: addresses from an address pool, the user's dedicated port kept across VMs, list
 * filters, stop/start, sessions, deletion, IPv6 without an IPv6 pool, the stats document and the
 * audit trail.
 */
class VmsIT {

  static int user() {
    Response r = admin().body(Map.of("username", Api.unique("vmu"))).post("/api/v1/users");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return r.path("user.id");
  }

  /** A fresh IPv4 pool of one /24 (a random one of 10.64-127.x.0/24: reruns share a database). */
  static String pool() {
    String name = Api.unique("vmpool");
    Response r = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      String prefix = "10." + rnd.nextInt(64, 128) + "." + rnd.nextInt(256) + ".0/24";
      r =
          admin()
              .body(Map.of("name", name, "family", 4, "prefixes", List.of(prefix)))
              .post("/api/v1/address-pools");
      if (r.statusCode() == 201) {
        return name;
      }
    }
    throw new AssertionError("could not create an address pool: " + r.asString());
  }

  private static Response createVm(Map<String, Object> body) {
    return admin().body(body).post("/api/v1/vms");
  }

  @Test
  void createListGetStopSessionsDelete() {
    int user = user();
    String pool = pool();

    Response a = createVm(Map.of("userId", user, "type", "cli", "name", "it-vm-a", "pool", pool));
    assertThat(a.statusCode()).as(a.asString()).isEqualTo(201);
    int id = a.path("id");
    assertThat(a.header("Location")).endsWith("/api/v1/vms/" + id);
    assertThat((Integer) a.path("userId")).isEqualTo(user);
    assertThat((String) a.path("name")).isEqualTo("it-vm-a");
    assertThat((String) a.path("type")).isEqualTo("cli");
    assertThat((String) a.path("state")).isEqualTo("active");
    String ipv4 = a.path("ipv4");
    String gateway = a.path("gateway");
    assertThat(ipv4).startsWith("10.");
    assertThat(gateway).isNotBlank().isNotEqualTo(ipv4);
    assertThat((Integer) a.path("prefixLength")).isEqualTo(24);
    assertThat((Object) a.path("ipv6")).isNull();
    int port = a.path("dedicatedPort");
    assertThat((String) a.path("bootArgs"))
        .isEqualTo("ip=" + ipv4 + "::" + gateway + ":255.255.255.0::eth0:off");
    assertThat((String) a.path("proxyEnv.HTTP_PROXY")).endsWith(":" + port);
    assertThat((String) a.path("proxyEnv.ALL_PROXY")).startsWith("socks5h://");
    assertThat((String) a.path("proxyEnv.NO_PROXY")).contains("localhost");

    Response b = createVm(Map.of("userId", user, "type", "browser", "pool", pool));
    assertThat(b.statusCode()).as(b.asString()).isEqualTo(201);
    int idB = b.path("id");
    assertThat((Integer) b.path("dedicatedPort")).isEqualTo(port);
    assertThat((String) b.path("ipv4")).isNotEqualTo(ipv4);
    assertThat((String) b.path("name")).isEqualTo("browser-" + idB);

    assertThat(Api.items(admin().queryParam("user", user).get("/api/v1/vms"))).hasSize(2);
    assertThat(
            Api.items(
                admin().queryParam("user", user).queryParam("type", "browser").get("/api/v1/vms")))
        .extracting(m -> m.get("id"))
        .containsExactly(idB);
    Response got = admin().get("/api/v1/vms/" + id);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat((String) got.path("ipv4")).isEqualTo(ipv4);
    assertThat((Object) got.path("proxyEnv")).isNull();
    assertThat((Integer) got.path("dedicatedPort")).isEqualTo(port);
    assertThat((String) admin().get("/api/v1/vms/" + id + "/config").path("proxyEnv.HTTP_PROXY"))
        .endsWith(":" + port);

    Response session = admin().post("/api/v1/vms/" + id + "/sessions");
    assertThat(session.statusCode()).as(session.asString()).isEqualTo(201);
    int sid = session.path("id");
    assertThat((String) session.path("state")).isEqualTo("active");
    Response ended = admin().post("/api/v1/vms/" + id + "/sessions/" + sid + "/end");
    assertThat(ended.statusCode()).as(ended.asString()).isEqualTo(200);
    assertThat((String) ended.path("state")).isEqualTo("completed");
    assertProblem(admin().post("/api/v1/vms/" + id + "/sessions/" + sid + "/end"), 409, "conflict");
    admin().post("/api/v1/vms/" + id + "/sessions").then().statusCode(201);

    Response stopped = admin().post("/api/v1/vms/" + id + "/stop");
    assertThat(stopped.statusCode()).as(stopped.asString()).isEqualTo(200);
    assertThat((String) stopped.path("state")).isEqualTo("stopped");
    assertThat(
            Api.items(
                admin().queryParam("user", user).queryParam("state", "stopped").get("/api/v1/vms")))
        .extracting(m -> m.get("id"))
        .containsExactly(id);
    assertThat(Api.items(admin().get("/api/v1/vms/" + id + "/sessions")))
        .hasSize(2)
        .allMatch(s -> "completed".equals(s.get("state")));
    assertProblem(admin().post("/api/v1/vms/" + id + "/sessions"), 409, "conflict");
    assertThat((String) admin().post("/api/v1/vms/" + id + "/start").path("state"))
        .isEqualTo("active");

    assertThat(admin().delete("/api/v1/vms/" + id).statusCode()).isEqualTo(204);
    assertProblem(admin().get("/api/v1/vms/" + id), 404, "not-found");
    assertProblem(admin().delete("/api/v1/vms/" + id), 404, "not-found");
    assertThat(Api.items(admin().queryParam("user", user).get("/api/v1/vms"))).hasSize(1);
    assertThat((Integer) admin().get("/api/v1/users/" + user + "/assignment").path("port"))
        .as("the dedicated port stays with the user")
        .isEqualTo(port);

    Response audited =
        admin()
            .queryParam("action", "vms.stop")
            .queryParam("target", "/vms/" + id + "/stop")
            .get("/api/v1/audit");
    assertThat((Integer) audited.path("total")).isEqualTo(1);
    assertThat(admin().delete("/api/v1/vms/" + idB).statusCode()).isEqualTo(204);
  }

  @Test
  void ipv6WithoutAnIpv6PoolIsAConflict() {
    Assumptions.assumeFalse(
        Boolean.TRUE.equals(admin().get("/api/v1/stats").path("ipv6.enabled")),
        "an IPv6 pool exists in this database");
    int user = user();
    String pool = pool();
    Response r = createVm(Map.of("userId", user, "type", "cli", "pool", pool, "ipv6", true));
    assertProblem(r, 409, "conflict");
    assertThat((String) r.path("detail")).contains("IPv6");
    assertThat(Api.items(admin().queryParam("user", user).get("/api/v1/vms"))).isEmpty();
  }

  @Test
  void badInput() {
    int user = user();
    assertProblem(createVm(Map.of("userId", user, "type", "desktop")), 400, "validation");
    assertProblem(createVm(Map.of("type", "cli")), 400, "validation");
    assertProblem(
        createVm(Map.of("userId", user, "type", "cli", "color", "red")), 400, "validation");
    assertProblem(
        createVm(Map.of("userId", user, "type", "cli", "name", "not a name")), 400, "validation");
    Map<String, Object> unknownUser = new HashMap<>();
    unknownUser.put("userId", 999_999_999);
    unknownUser.put("type", "cli");
    assertProblem(createVm(unknownUser), 404, "not-found");
    assertProblem(
        createVm(Map.of("userId", user, "type", "cli", "pool", Api.unique("nopool"))),
        404,
        "not-found");
    assertProblem(admin().queryParam("type", "vm").get("/api/v1/vms"), 400, "validation");
    assertProblem(admin().queryParam("size", 0).get("/api/v1/vms"), 400, "validation");
    assertProblem(admin().post("/api/v1/vms/999999999/stop"), 404, "not-found");
    assertProblem(admin().post("/api/v1/vms/999999999/sessions"), 404, "not-found");
  }

  @Test
  void statsDocument() {
    int user = user();
    String pool = pool();
    Response vm = createVm(Map.of("userId", user, "type", "browser", "pool", pool));
    assertThat(vm.statusCode()).as(vm.asString()).isEqualTo(201);
    admin().post("/api/v1/vms/" + vm.path("id") + "/sessions").then().statusCode(201);

    Response s = admin().get("/api/v1/stats");
    assertThat(s.statusCode()).as(s.asString()).isEqualTo(200);
    assertThat((Integer) s.path("users.total")).isGreaterThanOrEqualTo(1);
    assertThat((Integer) s.path("users.active")).isGreaterThanOrEqualTo(1);
    assertThat((Integer) s.path("vms.total")).isGreaterThanOrEqualTo(1);
    assertThat((Integer) s.path("vms.active")).isGreaterThanOrEqualTo(1);
    assertThat((Integer) s.path("vms.byType.browser")).isGreaterThanOrEqualTo(1);
    assertThat((Integer) s.path("vms.byType.cli")).isNotNull();
    assertThat((Integer) s.path("sessions.active")).isGreaterThanOrEqualTo(1);
    assertThat((Integer) s.path("sessions.completed")).isNotNull();
    assertThat((Integer) s.path("sessions.total"))
        .isEqualTo((Integer) s.path("sessions.active") + (Integer) s.path("sessions.completed"));
    List<Map<String, Object>> pools = s.path("pools");
    Map<String, Object> mine =
        pools.stream().filter(p -> pool.equals(p.get("name"))).findFirst().orElseThrow();
    assertThat(((Number) mine.get("total")).longValue()).isPositive();
    assertThat(((Number) mine.get("used")).longValue()).isEqualTo(1);
    assertThat(((Number) mine.get("available")).longValue())
        .isLessThan(((Number) mine.get("total")).longValue());
    assertThat((List<?>) mine.get("currentPrefixes")).hasSize(1);
    assertThat(((Number) mine.get("maxWith16")).longValue()).isPositive();
    assertThat(((Number) mine.get("maxWith8")).longValue()).isPositive();
    assertThat(mine).doesNotContainKey("recommendation");
    assertThat((List<?>) s.path("externalAddresses")).isNotNull();
    assertThat((Boolean) s.path("ipv6.enabled")).isNotNull();
    assertThat((Integer) s.path("ipv6.count")).isGreaterThanOrEqualTo(0);
    assertThat((List<?>) s.path("recommendations")).isNotNull();

    assertThat(Api.anon().accept("text/plain").get("/metrics").asString()).contains("sluice_vms{");
    admin().delete("/api/v1/vms/" + vm.path("id")).then().statusCode(204);
  }
}
