package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.Api.anon;
import static io.sluice.it.Api.as;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rotating refresh tokens: one use each, reuse revokes the family, logout, disabled accounts. */
class RefreshTokenIT {

  static Response refresh(String token) {
    return anon().body(Map.of("refreshToken", token)).post("/api/v1/auth/refresh");
  }

  static String[] newAdmin() {
    String name = Api.unique("rt");
    admin()
        .body(Map.of("username", name, "password", "Refresh-Initial-1", "role", "viewer"))
        .post("/api/v1/admins")
        .then()
        .statusCode(201);
    Response first = Api.login(name, "Refresh-Initial-1");
    Response changed =
        as(first.path("accessToken"))
            .body(
                Map.of("currentPassword", "Refresh-Initial-1", "newPassword", "Refresh-Changed-2"))
            .post("/api/v1/auth/password");
    return new String[] {name, changed.path("refreshToken"), changed.path("accessToken")};
  }

  @Test
  void refreshRotatesAndReuseRevokesTheFamily() {
    String[] a = newAdmin();
    Response r1 = refresh(a[1]);
    assertThat(r1.statusCode()).as(r1.asString()).isEqualTo(200);
    String second = r1.path("refreshToken");
    assertThat(second).isNotEqualTo(a[1]);
    assertThat(as(r1.path("accessToken")).get("/api/v1/users").statusCode()).isEqualTo(200);

    // The spent token comes back (stolen?): refused, and the whole family dies with it.
    assertProblem(refresh(a[1]), 401, "unauthorized");
    assertProblem(refresh(second), 401, "unauthorized");
    assertThat(
            Api.items(
                admin()
                    .queryParam("action", "auth.token-reuse")
                    .queryParam("actor", a[0])
                    .get("/api/v1/audit")))
        .isNotEmpty();
  }

  @Test
  void logoutAndDisablingEndRefreshTokens() {
    String[] a = newAdmin();
    assertThat(anon().body(Map.of("refreshToken", a[1])).post("/api/v1/auth/logout").statusCode())
        .isEqualTo(204);
    assertProblem(refresh(a[1]), 401, "unauthorized");

    String fresh = Api.login(a[0], "Refresh-Changed-2").path("refreshToken");
    int id =
        Api.items(admin().get("/api/v1/admins")).stream()
            .filter(x -> a[0].equals(x.get("username")))
            .map(x -> (Integer) x.get("id"))
            .findFirst()
            .orElseThrow();
    admin().post("/api/v1/admins/" + id + "/disable").then().statusCode(200);
    assertProblem(refresh(fresh), 401, "unauthorized");
    assertProblem(refresh("made-up-token"), 401, "unauthorized");
  }
}
