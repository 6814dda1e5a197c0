package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Proxy user CRUD, the credentials endpoint and password rotation. */
class ProxyUsersIT {

  @Test
  void createGetListPatchDisableDelete() {
    String name = Api.unique("alice");
    Response created =
        admin()
            .body(
                Map.of(
                    "username",
                    name,
                    "maxConnections",
                    3,
                    "bandwidthDownBps",
                    1000000,
                    "allowedDestinations",
                    List.of("127.0.0.1/32:8000-8999"),
                    "note",
                    "created by ProxyUsersIT"))
            .post("/api/v1/users");
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    assertThat(created.header("Location")).endsWith("/api/v1/users/" + created.path("user.id"));
    int id = created.path("user.id");
    String password = created.path("password");
    assertThat(password).hasSizeGreaterThanOrEqualTo(20);

    Response got = admin().get("/api/v1/users/" + id);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat((String) got.path("username")).isEqualTo(name);
    assertThat((Integer) got.path("maxConnections")).isEqualTo(3);
    assertThat(got.asString()).doesNotContain(password).doesNotContain("secret");

    Response page = admin().queryParam("username", name).get("/api/v1/users");
    assertThat((Integer) page.path("total")).isEqualTo(1);
    assertThat(page.asString()).doesNotContain(password);

    Response patched =
        admin().body(Map.of("maxConnections", 7, "note", "patched")).patch("/api/v1/users/" + id);
    assertThat((Integer) patched.path("maxConnections")).isEqualTo(7);
    assertThat((Integer) patched.path("bandwidthDownBps")).isEqualTo(1000000);
    assertThat((String) patched.path("note")).isEqualTo("patched");

    Response cleared = admin().body("{\"note\":null}").patch("/api/v1/users/" + id);
    assertThat((String) cleared.path("note")).isNull();

    assertThat(admin().post("/api/v1/users/" + id + "/disable").<Boolean>path("enabled")).isFalse();
    assertThat(admin().post("/api/v1/users/" + id + "/enable").<Boolean>path("enabled")).isTrue();

    assertThat(admin().delete("/api/v1/users/" + id).statusCode()).isEqualTo(204);
    assertProblem(admin().get("/api/v1/users/" + id), 404, "not-found");
  }

  @Test
  void credentialsAndRotation() {
    String name = Api.unique("bob");
    Response created = admin().body(Map.of("username", name)).post("/api/v1/users");
    int id = created.path("user.id");
    String first = created.path("password");

    Response creds = admin().get("/api/v1/users/" + id + "/credentials");
    assertThat((String) creds.path("password")).isEqualTo(first);
    assertThat((String) creds.path("username")).isEqualTo(name);

    Response rotated = admin().post("/api/v1/users/" + id + "/password");
    String second = rotated.path("password");
    assertThat(second).isNotEqualTo(first).hasSizeGreaterThanOrEqualTo(20);
    assertThat(admin().get("/api/v1/users/" + id + "/credentials").<String>path("password"))
        .isEqualTo(second);
  }

  @Test
  void pagingAndFilter() {
    String prefix = Api.unique("pg");
    for (int i = 0; i < 5; i++) {
      admin()
          .body(Map.of("username", prefix + "_" + i))
          .post("/api/v1/users")
          .then()
          .statusCode(201);
    }
    Response p0 = admin().queryParam("username", prefix).queryParam("size", 2).get("/api/v1/users");
    Response p2 =
        admin()
            .queryParam("username", prefix)
            .queryParam("size", 2)
            .queryParam("page", 2)
            .get("/api/v1/users");
    assertThat((Integer) p0.path("total")).isEqualTo(5);
    assertThat(Api.items(p0)).hasSize(2);
    assertThat(Api.items(p2)).hasSize(1);
    assertThat((String) Api.items(p0).get(0).get("username")).isEqualTo(prefix + "_0");
  }
}
