package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Agent registration: token shown once, never listed, rotated on demand; validation. */
class AgentsIT {

  @Test
  void registerRotateDisableDelete() {
    String name = Api.unique("office");
    Response created =
        admin()
            .body(Map.of("name", name, "allowedTargets", List.of("127.0.0.1/32:3389")))
            .post("/api/v1/agents");
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    String token = created.path("token");
    int id = created.path("agent.id");
    assertThat(token).startsWith("sat_" + id + "_").hasSizeGreaterThan(40);
    assertThat((Boolean) created.path("agent.connected")).isFalse();

    Response got = admin().get("/api/v1/agents/" + id);
    assertThat(got.asString()).doesNotContain(token);
    assertThat(admin().get("/api/v1/agents").asString()).doesNotContain(token);
    assertThat(got.<List<String>>path("allowedTargets")).containsExactly("127.0.0.1/32:3389");

    String rotated = admin().post("/api/v1/agents/" + id + "/token").path("token");
    assertThat(rotated).isNotEqualTo(token).startsWith("sat_" + id + "_");
    assertThat(admin().post("/api/v1/agents/" + id + "/disable").<Boolean>path("enabled"))
        .isFalse();
    assertThat(admin().delete("/api/v1/agents/" + id).statusCode()).isEqualTo(204);
    assertProblem(admin().get("/api/v1/agents/" + id), 404, "not-found");
  }

  @Test
  void badInput() {
    Response r =
        admin()
            .body(Map.of("name", "has space", "allowedTargets", List.of("10.0.0.0/8:99999")))
            .post("/api/v1/agents");
    assertProblem(r, 400, "validation");
    assertThat(r.<List<String>>path("errors.field")).contains("name", "allowedTargets");
    String name = Api.unique("dup");
    admin().body(Map.of("name", name)).post("/api/v1/agents").then().statusCode(201);
    assertProblem(admin().body(Map.of("name", name)).post("/api/v1/agents"), 409, "conflict");
  }
}
