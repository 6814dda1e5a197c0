package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets a clear problem document and nothing is lost. */
class ProblemsIT {

  @Test
  void malformedJson() {
    assertProblem(admin().body("{\"username\":").post("/api/v1/users"), 400, "malformed-json");
  }

  /**
   * Bodies nested far deeper than any parser should recurse: 400 malformed-json (cut off by the
   * body filter at sluice.api.max-json-depth), and the server keeps serving.
   */
  @Test
  void deeplyNestedJsonIs400AndTheServerKeepsServing() {
    String arrays = "[".repeat(2000) + "]".repeat(2000);
    String objects = "{\"a\":".repeat(2000) + "1" + "}".repeat(2000);
    String unclosed = "[".repeat(100_000);
    for (String body : List.of(arrays, objects, unclosed)) {
      Response r = admin().body(body).post("/api/v1/users");
      assertProblem(r, 400, "malformed-json");
      assertThat(r.<String>path("detail")).contains("deeper than");
    }
    String shallow = "{\"username\":" + "[".repeat(10) + "]".repeat(10) + "}";
    assertProblem(admin().body(shallow).post("/api/v1/users"), 400, "validation");
    assertThat(admin().get("/api/v1/users").statusCode()).isEqualTo(200);
  }

  @Test
  void jsonThatIsNotAnObject() {
    assertProblem(admin().body("[1,2]").post("/api/v1/users"), 400, "malformed-json");
  }

  @Test
  void wrongTypesAndUnknownFieldsAreFieldErrors() {
    Response r =
        admin()
            .body(Map.of("username", Api.unique("t"), "maxConnections", "many", "colour", "red"))
            .post("/api/v1/users");
    assertProblem(r, 400, "validation");
    List<String> fields = r.path("errors.field");
    assertThat(fields).containsExactlyInAnyOrder("maxConnections", "colour");
  }

  @Test
  void invalidValuesNameTheField() {
    Response r =
        admin()
            .body(
                Map.of(
                    "username",
                    "has-dash",
                    "allowedSources",
                    List.of("10.0.0.0/99"),
                    "allowedDestinations",
                    List.of("10.0.0.0/8:70000"),
                    "bandwidthUpBps",
                    -1))
            .post("/api/v1/users");
    assertProblem(r, 400, "validation");
    List<String> fields = r.path("errors.field");
    assertThat(fields)
        .contains("username", "allowedSources", "allowedDestinations", "bandwidthUpBps");
  }

  @Test
  void unknownRoleIsRejected() {
    Response r =
        admin()
            .body(
                Map.of(
                    "username", Api.unique("a"), "password", "Long-Enough-Pass-1", "role", "root"))
            .post("/api/v1/admins");
    assertProblem(r, 400, "validation");
    assertThat(r.<List<String>>path("errors.field")).containsExactly("role");
  }

  @Test
  void unknownPathAndUnknownId() {
    assertProblem(admin().get("/api/v1/no-such-thing"), 404, "not-found");
    assertProblem(admin().get("/api/v1/users/999999999"), 404, "not-found");
    assertProblem(admin().get("/api/v1/users/not-a-number"), 404, "not-found");
  }

  @Test
  void wrongMethodAndMediaType() {
    assertProblem(admin().put("/api/v1/users"), 405, "method-not-allowed");
    assertProblem(
        admin().contentType("text/plain").body("hello").post("/api/v1/users"),
        415,
        "unsupported-media-type");
  }

  @Test
  void oversizedBody() {
    String big = "{\"note\":\"" + "x".repeat(1_100_000) + "\"}";
    assertProblem(admin().body(big).post("/api/v1/users"), 413, "payload-too-large");
  }

  @Test
  void pagingOutOfRange() {
    Response r = admin().queryParam("size", 100000).get("/api/v1/users");
    assertProblem(r, 400, "validation");
    assertThat(r.<List<String>>path("errors.field")).containsExactly("size");
  }

  @Test
  void duplicateUsernameIsConflict() {
    String name = Api.unique("dup");
    assertThat(admin().body(Map.of("username", name)).post("/api/v1/users").statusCode())
        .isEqualTo(201);
    assertProblem(admin().body(Map.of("username", name)).post("/api/v1/users"), 409, "conflict");
  }
}
