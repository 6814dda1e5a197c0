package io.sluice.it;

import static io.sluice.it.Api.anon;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health probes, Prometheus metrics and the OpenAPI document, all without a login. */
class ProbesIT {

  @Test
  void readinessNamesWhatItChecked() {
    Response r = anon().get("/health/ready");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    assertThat((String) r.path("status")).isEqualTo("UP");
    List<String> names = r.path("checks.name");
    assertThat(names).contains("sluice.database", "sluice.migrations");
    List<Map<String, Object>> checks = r.path("checks");
    assertThat(checks).allMatch(c -> "UP".equals(c.get("status")));
  }

  @Test
  void livenessAndStartup() {
    Response live = anon().get("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.<List<String>>path("checks.name")).contains("sluice.heap");
    Response started = anon().get("/health/started");
    assertThat(started.statusCode()).isEqualTo(200);
    assertThat(started.<List<String>>path("checks.name")).contains("sluice.startup");
  }

  @Test
  void metricsArePrometheusTextWithSluicePrefix() {
    Api.adminToken(); // at least one successful login has been counted
    Response r = anon().accept("text/plain").get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    String text = r.asString();
    assertThat(text).contains("# TYPE ").contains("sluice_admin_logins_total{");
    assertThat(text)
        .containsPattern("sluice_admin_logins_total\\{[^}]*result=\"success\"[^}]*\\} [1-9]");
  }

  /**
   * server.xml's monitor filter keeps the Liberty statistics the Grafana dashboard and the
   * Prometheus rules use (OpsKitTest.EXTERNAL), next to the JVM's base metrics.
   */
  @Test
  void libertyMetricsOfTheOpsKitAreExported() {
    Api.adminToken(); // a REST request has been served
    String text = anon().accept("text/plain").get("/metrics").asString();
    assertThat(text)
        .contains(
            "threadpool_activeThreads{",
            "REST_request_seconds_count{",
            "REST_request_seconds_sum{",
            "memory_usedHeap_bytes{",
            "thread_count{",
            "gc_total{");
  }

  @Test
  void openApiDescribesTheAdminApi() {
    Response r = anon().accept("application/json").get("/openapi");
    assertThat(r.statusCode()).isEqualTo(200);
    String doc = r.asString();
    assertThat(doc)
        .contains(
            "/api/v1/auth/login",
            "/api/v1/users",
            "/api/v1/users/{id}/credentials",
            "/api/v1/admins",
            "bearer");
    Response ui = anon().accept("text/html").get("/openapi/ui/");
    assertThat(ui.statusCode()).isEqualTo(200);
    assertThat(ui.asString()).containsIgnoringCase("<html");
  }
}
