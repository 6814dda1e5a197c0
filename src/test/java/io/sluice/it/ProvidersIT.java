package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Providers create one exit per port; editing the range never moves an assigned user. */
class ProvidersIT {

  @Test
  void rangeEditsAddAndRetireWithoutTouchingAssignedExits() {
    String pool = Api.unique("pp").toLowerCase();
    admin()
        .body(Map.of("name", pool, "strategy", "sticky"))
        .post("/api/v1/pools")
        .then()
        .statusCode(201);
    String name = Api.unique("prov");
    String secret = "prov-" + Api.unique("pw");
    Response created =
        admin()
            .body(
                Map.of(
                    "name",
                    name,
                    "kind",
                    "socks5",
                    "host",
                    "127.0.0.1",
                    "portFrom",
                    30001,
                    "portTo",
                    30010,
                    "username",
                    "cust",
                    "password",
                    secret,
                    "country",
                    "NL",
                    "pool",
                    pool))
            .post("/api/v1/providers");
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    int id = created.path("id");
    assertThat((Integer) created.path("exits")).isEqualTo(10);
    assertThat(created.asString()).doesNotContain(secret);

    Response exits =
        admin().queryParam("provider", id).queryParam("size", 100).get("/api/v1/exits");
    assertThat((Integer) exits.path("total")).isEqualTo(10);
    assertThat(exits.asString()).doesNotContain(secret);
    assertThat(
            Api.items(
                admin().queryParam("pool", pool).queryParam("size", 100).get("/api/v1/exits")))
        .hasSize(10);

    // A user whose dedicated port is pinned to the exit of port 30010 ...
    Response user =
        admin()
            .body(Map.of("username", Api.unique("pu"), "defaultPool", pool))
            .post("/api/v1/users");
    int userId = user.path("user.id");
    int pinnedExit = admin().post("/api/v1/users/" + userId + "/assignment").path("exitId");
    Map<String, Object> pinned = admin().get("/api/v1/exits/" + pinnedExit).as(Map.class);

    // ... keeps it when the range shrinks past it; other exits outside the range go away.
    int pinnedPort = (Integer) pinned.get("port");
    Map<String, Object> range =
        pinnedPort == 30001
            ? Map.of("portFrom", 30002, "portTo", 30005)
            : Map.of("portFrom", 30001, "portTo", pinnedPort - 1);
    Response shrunk = admin().body(range).patch("/api/v1/providers/" + id);
    assertThat(shrunk.statusCode()).as(shrunk.asString()).isEqualTo(200);
    assertThat((Integer) shrunk.path("retired")).isEqualTo(1);
    Response stillThere = admin().get("/api/v1/exits/" + pinnedExit);
    assertThat(stillThere.statusCode()).isEqualTo(200);
    assertThat((Boolean) stillThere.path("retired")).isTrue();
    assertThat(admin().get("/api/v1/users/" + userId + "/assignment").<Integer>path("exitId"))
        .isEqualTo(pinnedExit);
    assertThat(
            (Integer)
                admin()
                    .queryParam("provider", id)
                    .queryParam("size", 100)
                    .get("/api/v1/exits")
                    .path("total"))
        .isEqualTo((Integer) shrunk.path("exits") + 1);

    // Growing the range adds exits for the new ports.
    Response grown =
        admin().body(Map.of("portFrom", 30001, "portTo", 30020)).patch("/api/v1/providers/" + id);
    assertThat((Integer) grown.path("exits")).isEqualTo(20);

    assertProblem(admin().delete("/api/v1/providers/" + id), 409, "conflict");
    admin().delete("/api/v1/users/" + userId + "/assignment").then().statusCode(204);
    assertThat(admin().delete("/api/v1/providers/" + id).statusCode()).isEqualTo(204);
    assertThat((Integer) admin().queryParam("provider", id).get("/api/v1/exits").path("total"))
        .isEqualTo(0);
  }

  @Test
  void badProviderInput() {
    Response r =
        admin()
            .body(Map.of("name", "x", "kind", "ftp", "host", "h", "portFrom", 5, "portTo", 1))
            .post("/api/v1/providers");
    assertProblem(r, 400, "validation");
    assertThat(r.<List<String>>path("errors.field")).contains("kind", "portFrom");
  }

  @Test
  void proxyEnvPointsAtSluiceWithTheProxyUsersCredentials() {
    Response user = admin().body(Map.of("username", Api.unique("env"))).post("/api/v1/users");
    int id = user.path("user.id");
    String pw = user.path("password");
    Response env = admin().get("/api/v1/users/" + id + "/proxy-env");
    assertThat(env.statusCode()).isEqualTo(200);
    assertThat((String) env.path("ALL_PROXY"))
        .startsWith("socks5h://" + user.path("user.username") + ":" + pw + "@")
        .endsWith(":" + ProxyIT.SOCKS);
    assertThat((String) env.path("HTTP_PROXY")).endsWith(":" + ProxyIT.HTTP);
    assertThat((String) env.path("NO_PROXY")).contains("localhost");
    int port = admin().post("/api/v1/users/" + id + "/assignment").path("port");
    assertThat((String) admin().get("/api/v1/users/" + id + "/proxy-env").path("HTTPS_PROXY"))
        .endsWith(":" + port);
    admin().delete("/api/v1/users/" + id + "/assignment");
  }
}
