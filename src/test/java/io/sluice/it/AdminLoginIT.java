package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.Api.anon;
import static io.sluice.it.Api.as;
import static io.sluice.it.Api.login;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** First login with a forced password change, roles, and the 401/403 problem documents. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminLoginIT {

  @Test
  @Order(1)
  void firstLoginForcesPasswordChange() {
    Response first = login("admin", Api.initialAdminPassword());
    if (first.statusCode() != 200) {
      // Another test class in this JVM already changed it; the flow is then covered below for a new
      // account.
      assertThat(login("admin", Api.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
      return;
    }
    assertThat((Boolean) first.path("passwordChangeRequired")).isTrue();
    String restricted = first.path("accessToken");

    // The restricted token may not do anything but change the password.
    assertProblem(as(restricted).get("/api/v1/users"), 403, "forbidden");
    assertThat(as(restricted).get("/api/v1/auth/me").<String>path("role"))
        .isEqualTo("password-change");

    // The password policy names the failed rule.
    Response weak =
        as(restricted)
            .body(Map.of("currentPassword", Api.initialAdminPassword(), "newPassword", "admin"))
            .post("/api/v1/auth/password");
    assertProblem(weak, 400, "validation");
    assertThat(weak.asString()).contains("min-length").contains("newPassword");

    Response changed =
        as(restricted)
            .body(
                Map.of(
                    "currentPassword",
                    Api.initialAdminPassword(),
                    "newPassword",
                    Api.ADMIN_PASSWORD))
            .post("/api/v1/auth/password");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat((Boolean) changed.path("passwordChangeRequired")).isFalse();
    String full = changed.path("accessToken");
    assertThat(as(full).get("/api/v1/users").statusCode()).isEqualTo(200);
    Api.adminTokenObtained(full);

    // The old password no longer works.
    assertProblem(login("admin", Api.initialAdminPassword()), 401, "unauthorized");
  }

  @Test
  @Order(2)
  void wrongPasswordAndUnknownUserLookTheSame() {
    Response wrong = login("admin", "definitely-not-the-password");
    Response unknown = login("no-such-admin", "definitely-not-the-password");
    assertProblem(wrong, 401, "unauthorized");
    assertProblem(unknown, 401, "unauthorized");
    assertThat((String) wrong.path("detail")).isEqualTo(unknown.path("detail"));
  }

  @Test
  @Order(3)
  void missingOrInvalidTokenIs401Problem() {
    assertProblem(anon().get("/api/v1/users"), 401, "unauthorized");
    assertProblem(as("not.a.jwt").get("/api/v1/users"), 401, "unauthorized");
    String token = Api.adminToken();
    String tampered =
        token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertProblem(as(tampered).get("/api/v1/users"), 401, "unauthorized");
  }

  @Test
  @Order(4)
  void viewerReadsButCannotWrite() {
    String name = Api.unique("viewer");
    String initial = "Viewer-Initial-Pass-1";
    Response created =
        admin()
            .body(Map.of("username", name, "password", initial, "role", "viewer"))
            .post("/api/v1/admins");
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    assertThat((Boolean) created.path("passwordChangeRequired")).isTrue();

    Response first = login(name, initial);
    assertThat((Boolean) first.path("passwordChangeRequired")).isTrue();
    Response changed =
        as(first.path("accessToken"))
            .body(Map.of("currentPassword", initial, "newPassword", "Viewer-Changed-Pass-2"))
            .post("/api/v1/auth/password");
    assertThat(changed.statusCode()).isEqualTo(200);
    String viewer = changed.path("accessToken");

    assertThat(as(viewer).get("/api/v1/users").statusCode()).isEqualTo(200);
    assertProblem(
        as(viewer).body(Map.of("username", Api.unique("u"))).post("/api/v1/users"),
        403,
        "forbidden");
    assertProblem(as(viewer).get("/api/v1/admins"), 403, "forbidden");
  }

  @Test
  @Order(5)
  void disabledAdminCannotLogIn() {
    String name = Api.unique("gone");
    Response created =
        admin()
            .body(Map.of("username", name, "password", "Gone-Admin-Pass-123", "role", "admin"))
            .post("/api/v1/admins");
    int id = created.path("id");
    Response first = login(name, "Gone-Admin-Pass-123");
    String token =
        as(first.path("accessToken"))
            .body(
                Map.of(
                    "currentPassword", "Gone-Admin-Pass-123", "newPassword", "Gone-Admin-Pass-456"))
            .post("/api/v1/auth/password")
            .path("accessToken");
    assertThat(as(token).get("/api/v1/users").statusCode()).isEqualTo(200);
    assertThat(admin().post("/api/v1/admins/" + id + "/disable").<Boolean>path("enabled"))
        .isFalse();
    // The token that was valid a moment ago is refused at once.
    assertProblem(as(token).get("/api/v1/users"), 401, "unauthorized");
    assertProblem(login(name, "Gone-Admin-Pass-456"), 401, "unauthorized");
    assertThat(Api.items(admin().get("/api/v1/admins")))
        .anyMatch(a -> name.equals(a.get("username")));
  }

  @Test
  @Order(6)
  void jwksPublishesOnlyThePublicKey() {
    Response jwks = anon().get("/api/v1/auth/jwks");
    assertThat(jwks.statusCode()).isEqualTo(200);
    assertThat(jwks.asString())
        .contains("\"kty\":\"RSA\"")
        .contains("\"n\"")
        .doesNotContain("\"d\"");
  }
}
