package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exits and pools over the admin API; upstream credentials are write-only. */
class ExitsApiIT {

  @Test
  void exitCrudNeverReturnsThePassword() throws Exception {
    String secret = "upstream-" + Api.unique("pw");
    Response created =
        admin()
            .body(
                Map.of(
                    "name",
                    Api.unique("up"),
                    "kind",
                    "socks5",
                    "host",
                    "127.0.0.1",
                    "port",
                    18999,
                    "username",
                    "provider-user",
                    "password",
                    secret,
                    "country",
                    "DE"))
            .post("/api/v1/exits");
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    int id = created.path("id");
    assertThat((Boolean) created.path("hasPassword")).isTrue();
    assertThat((String) created.path("country")).isEqualTo("de");
    assertThat(created.asString()).doesNotContain(secret);
    assertThat(admin().get("/api/v1/exits/" + id).asString()).doesNotContain(secret);
    assertThat(admin().queryParam("size", 500).get("/api/v1/exits").asString())
        .doesNotContain(secret);

    Response patched = admin().body(Map.of("state", "unhealthy")).patch("/api/v1/exits/" + id);
    assertThat((String) patched.path("state")).isEqualTo("unhealthy");
    assertThat(admin().queryParam("state", "unhealthy").get("/api/v1/exits").asString())
        .contains("\"id\":" + id);

    Path log =
        Path.of(
            System.getProperty(
                "sluice.it.server.log", "target/liberty/wlp/usr/servers/sluice/logs/messages.log"));
    assertThat(Files.readString(log)).doesNotContain(secret);

    assertThat(admin().delete("/api/v1/exits/" + id).statusCode()).isEqualTo(204);
    assertProblem(admin().get("/api/v1/exits/" + id), 404, "not-found");
  }

  @Test
  void poolsWithMembersFallbackAndFilters() {
    int a =
        admin()
            .body(Map.of("name", Api.unique("a"), "kind", "direct", "country", "us"))
            .post("/api/v1/exits")
            .path("id");
    int b =
        admin()
            .body(Map.of("name", Api.unique("b"), "kind", "direct", "country", "de"))
            .post("/api/v1/exits")
            .path("id");
    String backup = Api.unique("backup").toLowerCase();
    String main = Api.unique("main").toLowerCase();
    assertThat(
            admin()
                .body(Map.of("name", backup, "strategy", "random", "exits", List.of(b)))
                .post("/api/v1/pools")
                .statusCode())
        .isEqualTo(201);
    Response pool =
        admin()
            .body(
                Map.of(
                    "name",
                    main,
                    "strategy",
                    "least-connections",
                    "exits",
                    List.of(a, b),
                    "fallbackPool",
                    backup))
            .post("/api/v1/pools");
    assertThat(pool.statusCode()).as(pool.asString()).isEqualTo(201);
    assertThat((String) pool.path("fallbackPool")).isEqualTo(backup);
    assertThat(pool.<List<Integer>>path("exits")).containsExactly(a, b);

    Response inPoolDe =
        admin().queryParam("pool", main).queryParam("country", "DE").get("/api/v1/exits");
    assertThat((Integer) inPoolDe.path("total")).isEqualTo(1);
    assertThat(Api.items(inPoolDe).get(0).get("id")).isEqualTo(b);

    Response user =
        admin()
            .body(Map.of("username", Api.unique("pooled"), "defaultPool", main))
            .post("/api/v1/users");
    assertThat((String) user.path("user.defaultPool")).isEqualTo(main);
  }

  @Test
  void badExitAndPoolInputNamesTheFields() {
    Response badExit =
        admin().body(Map.of("name", "x y", "kind", "ftp", "port", 70000)).post("/api/v1/exits");
    assertProblem(badExit, 400, "validation");
    assertThat(badExit.<List<String>>path("errors.field")).contains("name", "kind", "port");
    Response badPool =
        admin()
            .body(Map.of("name", "Bad Name", "strategy", "fastest", "exits", List.of(999999)))
            .post("/api/v1/pools");
    assertProblem(badPool, 400, "validation");
    assertThat(badPool.<List<String>>path("errors.field")).contains("name", "strategy", "exits");
    assertProblem(
        admin()
            .body(Map.of("username", Api.unique("u"), "defaultPool", "no_such_pool"))
            .post("/api/v1/users"),
        400,
        "validation");
  }
}
