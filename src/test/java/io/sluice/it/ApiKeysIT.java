package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.Api.as;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * API keys of automation clients: created by an admin, shown once, scoped to the orchestrator's
 * endpoints, rate limited per key (6,000/min) instead of per address and token (60/min), revoked at
 * once, audited as {@code key:<name>}, and never written back in clear.
 */
class ApiKeysIT {

  /** One request from a loopback address of its own (the Maven-run server exempts 127.0.0.1). */
  static int status(String fromIp, String method, String path, String token) throws IOException {
    try (Socket s =
        new Socket(
            InetAddress.getByName("127.0.0.1"), Api.HTTP_PORT, InetAddress.getByName(fromIp), 0)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          (method
                  + " "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
                  + "Authorization: Bearer "
                  + token
                  + "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return Integer.parseInt(reply.substring(9, 12));
    }
  }

  private static int newUser() {
    Response created = admin().body(Map.of("username", Api.unique("akuser"))).post("/api/v1/users");
    assertThat(created.statusCode()).isEqualTo(201);
    return created.path("user.id");
  }

  private static Response createKey(String name) {
    return admin().body(Map.of("name", name, "role", "orchestrator")).post("/api/v1/api-keys");
  }

  @Test
  void anOrchestratorKeyReachesItsEndpointsOnlyAndIsRevokedAtOnce() {
    int user = newUser();
    String name = Api.unique("orch");
    Response created = createKey(name);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.header("Cache-Control")).contains("no-store");
    String token = created.path("token");
    int id = created.path("key.id");
    assertThat(token).isNotBlank();
    assertThat((String) created.path("key.role")).isEqualTo("orchestrator");
    assertThat((String) created.path("key.actor")).isEqualTo("key:" + name);

    // allowed: proxy env and the dedicated-port assignment read
    as(token).get("/api/v1/users/" + user + "/proxy-env").then().statusCode(200);
    assertThat(as(token).get("/api/v1/users/" + user + "/assignment").statusCode()).isIn(200, 404);
    // a state-changing call of the key, audited with the key as actor (whatever the outcome)
    assertThat(as(token).post("/api/v1/users/" + user + "/assignment").statusCode())
        .isNotIn(401, 403);

    // refused: user admin, admins, exits, settings, audit, the keys themselves
    assertProblem(as(token).get("/api/v1/users"), 403, "forbidden");
    assertProblem(
        as(token).body(Map.of("username", Api.unique("nope"))).post("/api/v1/users"),
        403,
        "forbidden");
    assertProblem(as(token).get("/api/v1/users/" + user), 403, "forbidden");
    assertProblem(as(token).delete("/api/v1/users/" + user + "/assignment"), 403, "forbidden");
    assertProblem(as(token).get("/api/v1/admins"), 403, "forbidden");
    assertProblem(as(token).get("/api/v1/exits"), 403, "forbidden");
    assertProblem(as(token).get("/api/v1/audit"), 403, "forbidden");
    assertProblem(as(token).get("/api/v1/settings/panel-whitelist"), 403, "forbidden");
    assertProblem(as(token).get("/api/v1/sessions"), 403, "forbidden");
    assertProblem(as(token).get("/api/v1/api-keys"), 403, "forbidden");
    assertProblem(
        as(token)
            .body(Map.of("name", Api.unique("x"), "role", "orchestrator"))
            .post("/api/v1/api-keys"),
        403,
        "forbidden");
    assertProblem(as(token).get("/api/v1/auth/me"), 403, "forbidden");

    // revoked: the very next call is 401
    admin().delete("/api/v1/api-keys/" + id).then().statusCode(204);
    assertProblem(as(token).get("/api/v1/users/" + user + "/proxy-env"), 401, "unauthorized");
    Map<String, Object> listed =
        Api.items(admin().get("/api/v1/api-keys")).stream()
            .filter(k -> ((Number) k.get("id")).intValue() == id)
            .findFirst()
            .orElseThrow();
    assertThat(listed.get("revokedAt")).isNotNull();
    assertThat(listed.get("active")).isEqualTo(false);
    assertThat(listed.get("lastUsedAt")).isNotNull();

    // the token is never written back: not in the list, not in the audit log
    assertThat(admin().get("/api/v1/api-keys").asString()).doesNotContain(token);
    String audit = admin().queryParam("size", 500).get("/api/v1/audit").asString();
    assertThat(audit).doesNotContain(token);
    List<Map<String, Object>> byKey =
        Api.items(admin().queryParam("actor", "key:" + name).get("/api/v1/audit"));
    assertThat(byKey).anyMatch(e -> "users.assign".equals(e.get("action")));
    assertThat(
            Api.items(
                admin()
                    .queryParam("action", "apikeys.create")
                    .queryParam("size", 500)
                    .get("/api/v1/audit")))
        .anyMatch(e -> "admin".equals(e.get("actor")) && "success".equals(e.get("outcome")));
    assertThat(
            Api.items(
                admin()
                    .queryParam("action", "apikeys.revoke")
                    .queryParam("target", "/api-keys/" + id)
                    .get("/api/v1/audit")))
        .anyMatch(e -> "admin".equals(e.get("actor")));
  }

  @Test
  void aKeyIsNotHeldToTheInteractiveSixtyPerMinute() throws IOException {
    int user = newUser();
    String token = createKey(Api.unique("burst")).path("token");
    String path = "/api/v1/users/" + user + "/proxy-env";

    for (int i = 1; i <= 100; i++) {
      assertThat(status("127.0.0.17", "GET", path, token)).as("key call " + i).isEqualTo(200);
    }

    Api.adminToken();
    String interactive = Api.login("admin", Api.ADMIN_PASSWORD).path("accessToken");
    int limited = 0;
    for (int i = 1; i <= 100 && limited == 0; i++) {
      if (status("127.0.0.18", "GET", path, interactive) == 429) {
        limited = i;
      }
    }
    assertThat(limited).as("an interactive token is limited after 60 calls").isGreaterThan(60);
  }

  @Test
  void onlyScopedRolesUniqueNamesAndFutureExpiriesAreAccepted() {
    assertProblem(
        admin().body(Map.of("name", Api.unique("adm"), "role", "admin")).post("/api/v1/api-keys"),
        400,
        "validation");
    assertProblem(
        admin()
            .body(
                Map.of(
                    "name", Api.unique("old"),
                    "role", "orchestrator",
                    "expiresAt", "2020-01-01T00:00:00Z"))
            .post("/api/v1/api-keys"),
        400,
        "validation");
    String name = Api.unique("dup");
    createKey(name).then().statusCode(201);
    assertProblem(createKey(name), 409, "conflict");
    assertProblem(admin().delete("/api/v1/api-keys/987654321"), 404, "not-found");
  }
}
