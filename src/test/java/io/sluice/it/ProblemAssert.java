package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;

/** Assertions on RFC 9457 problem documents. */
final class ProblemAssert {

  private ProblemAssert() {}

  static void assertProblem(Response r, int status, String type) {
    assertThat(r.statusCode()).as("status of %s", r.asString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat((Integer) r.path("status")).isEqualTo(status);
    assertThat((String) r.path("type")).endsWith("#" + type);
    assertThat((String) r.path("title")).isNotBlank();
    assertThat(r.asString())
        .doesNotContain("Exception")
        .doesNotContain("<html")
        .doesNotContain("\tat ");
  }
}
