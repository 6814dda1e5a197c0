package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Export links: download without login, formats, revocation, CIDR binding, forged tokens. */
class ExportsIT {

  static Response download(String url) {
    return RestAssured.given().baseUri(Api.BASE).get(url);
  }

  @Test
  void txtAndJsonListsWorkWithoutLoginUntilRevoked() {
    Response user = admin().body(Map.of("username", Api.unique("exp"))).post("/api/v1/users");
    String name = user.path("user.username");
    String pw = user.path("password");

    Response link =
        admin()
            .body(Map.of("scope", "users", "format", "txt", "ttlMinutes", 5))
            .post("/api/v1/exports");
    assertThat(link.statusCode()).as(link.asString()).isEqualTo(201);
    String url = link.path("url");
    assertThat(url).startsWith("/export/");
    Response txt = download(url);
    assertThat(txt.statusCode()).isEqualTo(200);
    assertThat(txt.contentType()).startsWith("text/plain");
    assertThat(txt.asString())
        .contains("127.0.0.1:" + ProxyIT.SOCKS + ":" + name + ":" + pw + "\n");

    Response json =
        download(
            admin()
                .body(Map.of("scope", "users", "format", "json", "ttlMinutes", 5))
                .post("/api/v1/exports")
                .path("url"));
    List<Map<String, Object>> rows = json.jsonPath().getList("$");
    assertThat(rows).anyMatch(r -> name.equals(r.get("username")) && pw.equals(r.get("password")));

    String id = link.path("id");
    assertThat(Api.items(admin().get("/api/v1/exports")))
        .anyMatch(e ->
            id.equals(e.get("id"))
                && ((Number) e.get("downloads")).intValue() == 1
                && e.get("url") == null);
    assertThat(admin().delete("/api/v1/exports/" + id).statusCode()).isEqualTo(204);
    assertProblem(download(url), 410, "gone");
    assertThat(
            Api.items(
                admin()
                    .queryParam("action", "exports.download")
                    .queryParam("target", id)
                    .get("/api/v1/audit")))
        .hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void csvDedicatedAndPoolScopes() {
    Response link =
        admin()
            .body(Map.of("scope", "dedicated", "format", "csv", "ttlMinutes", 5))
            .post("/api/v1/exports");
    Response csv = download(link.path("url"));
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.asString()).startsWith("host,port,username,password,scheme,label");
    assertProblem(
        admin()
            .body(
                Map.of("scope", "pools", "format", "csv", "ttlMinutes", 5, "pool", "no_such_pool"))
            .post("/api/v1/exports"),
        400,
        "validation");
  }

  @Test
  void expiredLinksAreRefused() {
    String url =
        admin()
            .body(Map.of("scope", "users", "format", "txt", "ttlSeconds", 10))
            .post("/api/v1/exports")
            .path("url");
    assertThat(download(url).statusCode()).isEqualTo(200);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .pollInterval(java.time.Duration.ofSeconds(1))
        .until(() -> download(url).statusCode() == 404);
    assertProblem(download(url), 404, "not-found");
  }

  @Test
  void boundCidrForgedAndBadInput() {
    String url =
        admin()
            .body(
                Map.of(
                    "scope", "users", "format", "txt", "ttlMinutes", 5, "bindCidr", "10.0.0.0/8"))
            .post("/api/v1/exports")
            .path("url");
    assertProblem(download(url), 403, "forbidden");
    String good =
        admin()
            .body(Map.of("scope", "users", "format", "txt", "ttlMinutes", 5))
            .post("/api/v1/exports")
            .path("url");
    String forged = good.substring(0, good.length() - 2) + (good.endsWith("AA") ? "BB" : "AA");
    assertProblem(download(forged), 404, "not-found");
    assertProblem(download("/export/not-a-token"), 404, "not-found");
    Response bad =
        admin()
            .body(Map.of("scope", "everything", "format", "xml", "ttlMinutes", 0))
            .post("/api/v1/exports");
    assertProblem(bad, 400, "validation");
  }
}
