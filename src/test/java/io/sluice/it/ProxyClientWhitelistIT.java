package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who may use the proxy listeners at all (global and per user), and the HTTPS-only switch. */
class ProxyClientWhitelistIT {

  static Fixtures fx;

  @BeforeAll
  static void setUp() throws IOException {
    fx = new Fixtures();
  }

  @AfterAll
  static void tearDown() throws IOException {
    fx.close();
  }

  static String[] user(Map<String, Object> extra) {
    Map<String, Object> body =
        new java.util.HashMap<>(
            Map.of(
                "username", Api.unique("cw"), "allowedDestinations", List.of(Fixtures.ALLOW_V4)));
    body.putAll(extra);
    Response r = admin().body(body).post("/api/v1/users");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return new String[] {r.path("user.username"), r.path("password")};
  }

  @Test
  void perUserClientListRefusesOtherAddresses() throws Exception {
    String[] fenced = user(Map.of("allowedClients", List.of("10.0.0.0/8")));
    assertThatThrownBy(() ->
            Socks5Client.connect(ProxyIT.SOCKS, fenced[0], fenced[1], "127.0.0.1", fx.echoPort()))
        .isInstanceOf(IOException.class);
    String[] local = user(Map.of("allowedClients", List.of("127.0.0.0/8")));
    Socks5Client.connect(ProxyIT.SOCKS, local[0], local[1], "127.0.0.1", fx.echoPort()).close();
  }

  @Test
  void globalClientListAppliesToEveryone() throws Exception {
    String[] u = user(Map.of());
    try {
      admin()
          .body(Map.of("cidrs", List.of("10.0.0.0/8")))
          .put("/api/v1/settings/proxy-client-whitelist")
          .then()
          .statusCode(200);
      assertThatThrownBy(
              () -> Socks5Client.connect(ProxyIT.SOCKS, u[0], u[1], "127.0.0.1", fx.echoPort()))
          .isInstanceOf(IOException.class);
    } finally {
      admin()
          .body(Map.of("cidrs", List.of()))
          .put("/api/v1/settings/proxy-client-whitelist")
          .then()
          .statusCode(200);
    }
    Socks5Client.connect(ProxyIT.SOCKS, u[0], u[1], "127.0.0.1", fx.echoPort()).close();
  }

  @Test
  void requireHttpsRefusesPlainHttpButNotProbes() {
    int httpsPort = Integer.getInteger("sluice.it.https.port", 9443);
    var https =
        RestAssured.given()
            .relaxedHTTPSValidation()
            .baseUri("https://127.0.0.1:" + httpsPort)
            .contentType(ContentType.JSON)
            .header("Authorization", "Bearer " + Api.adminToken());
    try {
      https
          .body(Map.of("enabled", true))
          .put("/api/v1/settings/require-https")
          .then()
          .statusCode(200);
      Response plain = admin().get("/api/v1/users");
      ProblemAssert.assertProblem(plain, 403, "https-required");
      assertThat(Api.anon().get("/health/ready").statusCode())
          .as("probes stay on HTTP")
          .isEqualTo(200);
      assertThat(
              RestAssured.given()
                  .relaxedHTTPSValidation()
                  .baseUri("https://127.0.0.1:" + httpsPort)
                  .header("Authorization", "Bearer " + Api.adminToken())
                  .get("/api/v1/users")
                  .statusCode())
          .isEqualTo(200);
    } finally {
      RestAssured.given()
          .relaxedHTTPSValidation()
          .baseUri("https://127.0.0.1:" + httpsPort)
          .contentType(ContentType.JSON)
          .header("Authorization", "Bearer " + Api.adminToken())
          .body(Map.of("enabled", false))
          .put("/api/v1/settings/require-https")
          .then()
          .statusCode(200);
    }
    assertThat(admin().get("/api/v1/users").statusCode()).isEqualTo(200);
  }
}
