package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The panel whitelist: 403 before authentication from other addresses, and no self-lock-out. */
class PanelWhitelistIT {

  @Test
  void whitelistGuardsTheApiAndRefusesToLockOutItsEditor() throws Exception {
    try {
      Response lockout =
          admin()
              .body(Map.of("cidrs", List.of("10.0.0.0/8")))
              .put("/api/v1/settings/panel-whitelist");
      assertProblem(lockout, 409, "self-lockout");
      assertThat((String) lockout.path("detail")).contains("127.0.0.1");
      assertProblem(
          admin()
              .body(Map.of("cidrs", List.of("not-a-cidr")))
              .put("/api/v1/settings/panel-whitelist"),
          400,
          "validation");

      Response set =
          admin()
              .body(Map.of("cidrs", List.of("127.0.0.1/32", "::1/128")))
              .put("/api/v1/settings/panel-whitelist");
      assertThat(set.statusCode()).as(set.asString()).isEqualTo(200);
      assertThat(set.<List<String>>path("cidrs")).containsExactly("127.0.0.1/32", "::1/128");

      String other = RateLimitIT.call("127.0.0.20", "GET", "/api/v1/auth/jwks", null);
      assertThat(RateLimitIT.status(other)).isEqualTo(403);
      assertThat(other).contains("application/problem+json").contains("not open to your address");
      // The console (its page, scripts and styles) is refused like the API.
      for (String path :
          List.of(
              "/console/",
              "/console/js/main.js",
              "/webjars/picocss__pico/2.1.1/css/pico.min.css")) {
        assertThat(RateLimitIT.status(RateLimitIT.call("127.0.0.20", "GET", path, null)))
            .as(path)
            .isEqualTo(403);
      }
      assertThat(admin().get("/api/v1/auth/jwks").statusCode()).isEqualTo(200);
    } finally {
      admin()
          .body(Map.of("cidrs", List.of()))
          .put("/api/v1/settings/panel-whitelist")
          .then()
          .statusCode(200);
    }
    assertThat(RateLimitIT.status(RateLimitIT.call("127.0.0.20", "GET", "/api/v1/auth/jwks", null)))
        .isEqualTo(200);
    assertThat(Api.items(admin().queryParam("action", "settings.put").get("/api/v1/audit")))
        .isNotEmpty();
  }
}
