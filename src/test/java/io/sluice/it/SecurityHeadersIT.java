package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** Security headers on API responses, errors included, and HSTS on HTTPS only. */
class SecurityHeadersIT {

  static void assertHeaders(Response r) {
    assertThat(r.header("Content-Security-Policy"))
        .contains("default-src 'none'")
        .contains("frame-ancestors 'none'");
    assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
  }

  @Test
  void everyApiResponseCarriesThem() {
    Response ok = Api.admin().get("/api/v1/users");
    assertHeaders(ok);
    assertThat(ok.header("Strict-Transport-Security")).as("no HSTS over plain HTTP").isNull();
    assertHeaders(Api.anon().get("/api/v1/users"));
    assertHeaders(Api.admin().get("/api/v1/nothing-here"));
  }

  @Test
  void httpsAddsHsts() {
    int port = Integer.getInteger("sluice.it.https.port", 9443);
    Response r =
        RestAssured.given()
            .relaxedHTTPSValidation()
            .baseUri("https://127.0.0.1:" + port)
            .get("/api/v1/auth/jwks");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.header("Strict-Transport-Security"))
        .isEqualTo("max-age=31536000; includeSubDomains");
    assertHeaders(r);
  }
}
