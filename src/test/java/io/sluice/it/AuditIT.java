package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** State-changing calls and security events land in the append-only audit log. */
class AuditIT {

  @Test
  void adminCallsAreAuditedWithActorTargetOutcomeAndRequestId() {
    String name = Api.unique("aud");
    Response created =
        admin()
            .header("X-Request-Id", "it-req-" + name)
            .body(Map.of("username", name))
            .post("/api/v1/users");
    assertThat(created.header("X-Request-Id")).isEqualTo("it-req-" + name);
    int id = created.path("user.id");
    admin().post("/api/v1/users/" + id + "/disable").then().statusCode(200);

    List<Map<String, Object>> creates =
        Api.items(
            admin()
                .queryParam("action", "users.create")
                .queryParam("size", 500)
                .get("/api/v1/audit"));
    Map<String, Object> event =
        creates.stream()
            .filter(e -> ("it-req-" + name).equals(e.get("requestId")))
            .findFirst()
            .orElseThrow();
    assertThat(event.get("actor")).isEqualTo("admin");
    assertThat(event.get("outcome")).isEqualTo("success");
    assertThat(event.get("target")).isEqualTo("/api/v1/users");
    assertThat(event.get("sourceIp")).isNotNull();

    Response disables =
        admin()
            .queryParam("action", "users.disable")
            .queryParam("target", "/users/" + id + "/")
            .get("/api/v1/audit");
    assertThat((Integer) disables.path("total")).isEqualTo(1);
  }

  @Test
  void failedLoginsAndFailedCallsAreAuditedToo() {
    String ghost = Api.unique("nobody");
    Api.login(ghost, "wrong-password-1").then().statusCode(401);
    List<Map<String, Object>> logins =
        Api.items(admin().queryParam("actor", ghost).get("/api/v1/audit"));
    assertThat(logins)
        .anyMatch(e -> "auth.login".equals(e.get("action")) && "failure".equals(e.get("outcome")));

    admin().body(Map.of("username", "bad-name")).post("/api/v1/users").then().statusCode(400);
    Response failures =
        admin().queryParam("action", "users.create").queryParam("size", 500).get("/api/v1/audit");
    assertThat(Api.items(failures))
        .anyMatch(e -> "failure".equals(e.get("outcome")) && "HTTP 400".equals(e.get("detail")));
  }

  @Test
  void onlyAdminsReadTheLogAndItHasNoWriteApi() {
    ProblemAssert.assertProblem(admin().delete("/api/v1/audit"), 405, "method-not-allowed");
    ProblemAssert.assertProblem(
        admin().queryParam("from", "yesterday").get("/api/v1/audit"), 400, "validation");
  }

  @Test
  void theDatabaseRejectsChangesToTheLog() throws SQLException {
    String url = System.getenv("DB_URL");
    Assumptions.assumeTrue(
        url != null && url.startsWith("jdbc:postgresql:"),
        "the immutability trigger is PostgreSQL-only (embedded H2 has none)");
    try (Connection c =
        DriverManager.getConnection(url, System.getenv("DB_USER"), System.getenv("DB_PASSWORD"))) {
      assertThatThrownBy(
              () -> c.createStatement().executeUpdate("UPDATE audit_event SET actor = 'mallory'"))
          .hasMessageContaining("append-only");
      assertThatThrownBy(() -> c.createStatement().executeUpdate("DELETE FROM audit_event"))
          .hasMessageContaining("append-only");
    }
  }
}
