package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.sluice.testsupport.HttpsEcho;
import io.sluice.testsupport.TestCa;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code https} check URLs against the running server: a local HTTPS echo whose certificate comes
 * from a test CA made here, which the server does not trust (the Maven-run server has no {@code
 * SLUICE_EXITS_CHECK_CA_FILE}: its CA bundle is read at start, before this test could write one),
 * so the check fails with the clear reason, directly and through microsocks. The passing case with
 * the CA in the bundle is covered by {@code ExitProbeHttpsTest} and {@code ProbeClientTlsTest}.
 * Also: the API accepts https check URLs, and Decodo's echo shape {@code {"proxy":{"ip":...}}} is
 * read.
 */
class HttpsEchoCheckIT {

  static final String UNKNOWN = "tls: certificate unknown (PKIX path building failed)";

  static Fixtures fx;
  static HttpsEcho echo;
  static Process upstream;
  static int upstreamPort;

  @BeforeAll
  static void setUp() throws IOException {
    OutsidePrograms.require("microsocks", "microsocks");
    fx = new Fixtures();
    fx.http.createContext(
        "/decodo",
        ex -> {
          byte[] body =
              ("{\"browser\":{\"name\":\"sluice\"},\"proxy\":{\"ip\":\""
                      + ex.getRemoteAddress().getAddress().getHostAddress()
                      + "\"},\"isp\":{\"isp\":\"Test\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    TestCa ca = new TestCa("Sluice IT CA (not trusted by the server)");
    echo = new HttpsEcho("127.0.0.1", ca.issue("localhost", "127.0.0.1").sslContext());
    upstreamPort = Fixtures.freePort();
    upstream = ExitHealthIT.startMicrosocks(upstreamPort);
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (upstream != null) {
      upstream.destroyForcibly();
    }
    if (echo != null) {
      echo.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  static int exit(Map<String, Object> fields) {
    Map<String, Object> body = new HashMap<>(fields);
    body.put("name", Api.unique("tls"));
    Response r = admin().body(body).post("/api/v1/exits");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return r.path("id");
  }

  static Response check(int id) {
    Response r = admin().post("/api/v1/exits/" + id + "/check");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    return r;
  }

  @Test
  void anUntrustedCertificateFailsDirectlyWithTheReason() {
    String url = echo.url("127.0.0.1", "/json").toString();
    int id = exit(Map.of("kind", "direct", "checkUrl", url));
    assertThat((String) admin().get("/api/v1/exits/" + id).path("checkUrl")).isEqualTo(url);
    Response r = check(id);
    assertThat((Boolean) r.path("healthy")).isFalse();
    assertThat((String) r.path("error")).isEqualTo(UNKNOWN);
    assertThat((String) admin().get("/api/v1/exits/" + id).path("lastError")).isEqualTo(UNKNOWN);
  }

  @Test
  void anUntrustedCertificateFailsThroughSocks5WithTheReason() {
    int id =
        exit(
            Map.of(
                "kind",
                "socks5",
                "host",
                "127.0.0.1",
                "port",
                upstreamPort,
                "checkUrl",
                echo.url("localhost", "/json").toString()));
    Response r = check(id);
    assertThat((Boolean) r.path("healthy")).isFalse();
    assertThat((String) r.path("error")).isEqualTo(UNKNOWN);
  }

  @Test
  void decodosEchoShapeIsRead() {
    int id =
        exit(
            Map.of(
                "kind",
                "socks5",
                "host",
                "127.0.0.1",
                "port",
                upstreamPort,
                "checkUrl",
                "http://127.0.0.1:" + fx.httpPort() + "/decodo"));
    Response r = check(id);
    assertThat((Boolean) r.path("healthy")).as(r.asString()).isTrue();
    assertThat((String) r.path("actualIp")).isEqualTo("127.0.0.2");
  }

  @Test
  void checkUrlsMustBeHttpOrHttps() {
    Response r =
        admin()
            .body(Map.of("name", Api.unique("tls"), "kind", "direct", "checkUrl", "ftp://x/ip"))
            .post("/api/v1/exits");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.asString()).contains("must be an http:// or https:// URL of an IP echo");
  }
}
