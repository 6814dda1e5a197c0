package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.Api.anon;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With the default trusted-proxy list (none), forwarding headers sent by a client are ignored: the
 * IP echo and the audit log see the TCP peer, not the address the client claims.
 */
class TrustedProxyIT {

  private static final String CLAIMED = "203.0.113.77";

  @Test
  void forwardingHeadersFromAnUntrustedPeerDoNotChangeTheClientAddress() {
    String plain = anon().get("/api/v1/ip").then().statusCode(200).extract().path("ip");
    String forwarded =
        anon()
            .header("X-Forwarded-For", CLAIMED)
            .header("Forwarded", "for=" + CLAIMED)
            .get("/api/v1/ip")
            .then()
            .statusCode(200)
            .extract()
            .path("ip");
    assertThat(forwarded).isEqualTo(plain).doesNotContain(CLAIMED);
  }

  @Test
  void theAuditLogRecordsThePeerNotTheClaimedAddress() {
    String name = Api.unique("xff");
    Response created =
        admin()
            .header("X-Request-Id", "it-xff-" + name)
            .header("X-Forwarded-For", CLAIMED)
            .body(Map.of("username", name))
            .post("/api/v1/users");
    assertThat(created.statusCode()).isEqualTo(201);
    List<Map<String, Object>> events =
        Api.items(
            admin()
                .queryParam("action", "users.create")
                .queryParam("size", 500)
                .get("/api/v1/audit"));
    Map<String, Object> event =
        events.stream()
            .filter(e -> ("it-xff-" + name).equals(e.get("requestId")))
            .findFirst()
            .orElseThrow();
    assertThat(String.valueOf(event.get("sourceIp"))).isNotEqualTo(CLAIMED).doesNotContain(CLAIMED);
  }
}
