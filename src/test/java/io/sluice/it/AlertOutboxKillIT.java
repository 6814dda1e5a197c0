package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sluice.alerts.infra.HttpStub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The alert outbox survives {@code kill -9} of the server between writing an alert and sending it.
 * A second server ({@link ExtraServer}) with its own database (a fresh schema of the build's
 * PostgreSQL, or its own embedded H2 when the build runs on H2) is started with its outbox sender
 * held back (every hour), a brute force is provoked through its login endpoint, the firing delivery
 * is seen pending in {@code GET /api/v1/alerts/deliveries}, and the server is killed with SIGKILL.
 * Started again on the same database with the sender every second, it delivers the alert to a
 * webhook receiver exactly once.
 */
class AlertOutboxKillIT {

  private static final String PASSWORD = "Kill-Test-Admin-Password-2026!";
  private static final String SOURCE = "127.0.0.11";

  @Test
  void aKilledServerSendsItsPendingAlertAfterTheRestartExactlyOnce() throws Exception {
    int http = freePort();
    int https = freePort();
    String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
    String dbUrl = System.getenv().getOrDefault("DB_URL", "");
    String schema = null;
    ExtraServer.Builder first = base(ExtraServer.named("alerts-kill"), http, https, key);
    if (dbUrl.startsWith("jdbc:postgresql:")) {
      schema = "alerts_kill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
      exec(dbUrl, "CREATE SCHEMA " + schema);
      first.env("DB_URL", dbUrl + (dbUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
    } else {
      first.embeddedDatabase();
    }
    try (HttpStub receiver = new HttpStub()) {
      ExtraServer server =
          first.env("SLUICE_ALERTS_SEND_INTERVAL_SECONDS", "3600").start(Duration.ofMinutes(3));
      String token;
      try {
        token = adminToken(server);
        api(server, token)
            .body(
                Map.of(
                    "name", "kill-hook",
                    "type", "webhook",
                    "url", receiver.url() + "/kill"))
            .post("/api/v1/alerts/channels")
            .then()
            .statusCode(201);
        for (int i = 1; i <= 5; i++) {
          assertThat(login(http, SOURCE, "intruder" + i, "wrong")).isEqualTo(401);
        }
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> pendingFiring(server, token) == 1);
        assertThat(receiver.requests()).isEmpty();
      } finally {
        server.kill(); // SIGKILL: the delivery was written, never sent
      }
      assertThat(server.isAlive()).isFalse();

      ExtraServer.Builder again =
          base(ExtraServer.named("alerts-kill"), http, https, key)
              .keepData()
              .env("SLUICE_ALERTS_SEND_INTERVAL_SECONDS", "1");
      if (schema != null) {
        again.env("DB_URL", dbUrl + (dbUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
      } else {
        again.embeddedDatabase();
      }
      try (ExtraServer restarted = again.start(Duration.ofMinutes(3))) {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> !receiver.requests().isEmpty());
        Thread.sleep(4_000); // several more sender rounds: nothing is sent twice
        List<HttpStub.Request> got = receiver.requests();
        assertThat(got).hasSize(1);
        JsonPath body = JsonPath.from(got.get(0).body());
        assertThat(body.getString("status")).isEqualTo("firing");
        assertThat(body.getString("groupLabels.alertname")).isEqualTo("brute-force");
        assertThat(body.getString("alerts[0].labels.key")).isEqualTo(SOURCE);
        String token2 = adminToken(restarted);
        JsonPath d =
            api(restarted, token2)
                .get("/api/v1/alerts/deliveries")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(d.getList("items.findAll { it.kind == 'firing' }.state", String.class))
            .containsExactly("sent");
      }
    } finally {
      if (schema != null) {
        exec(dbUrl, "DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private static ExtraServer.Builder base(ExtraServer.Builder b, int http, int https, String key) {
    return b.env("HTTP_PORT", Integer.toString(http))
        .env("HTTPS_PORT", Integer.toString(https))
        .env("SLUICE_SOCKS_PORT", "0")
        .env("SLUICE_HTTP_PROXY_PORT", "0")
        .env("SLUICE_SECRET_KEY", key)
        .env("SLUICE_ADMIN_PASSWORD", PASSWORD)
        .env("SLUICE_ALERTS_EVALUATE_SECONDS", "2");
  }

  private static long pendingFiring(ExtraServer s, String token) {
    JsonPath d =
        api(s, token)
            .queryParam("state", "pending")
            .get("/api/v1/alerts/deliveries")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    return d.getList("items.findAll { it.kind == 'firing' && it.rule == 'brute-force' }").size();
  }

  private static RequestSpecification api(ExtraServer s, String token) {
    return RestAssured.given()
        .baseUri(s.baseUrl())
        .contentType(ContentType.JSON)
        .accept(ContentType.JSON)
        .header("Authorization", "Bearer " + token);
  }

  /** Logs in as admin (changing the initial password on the first start). */
  private static String adminToken(ExtraServer s) {
    String next = PASSWORD + "x";
    Response r =
        RestAssured.given()
            .baseUri(s.baseUrl())
            .contentType(ContentType.JSON)
            .body(Map.of("username", "admin", "password", PASSWORD))
            .post("/api/v1/auth/login");
    if (r.statusCode() == 200 && Boolean.TRUE.equals(r.path("passwordChangeRequired"))) {
      return RestAssured.given()
          .baseUri(s.baseUrl())
          .contentType(ContentType.JSON)
          .header("Authorization", "Bearer " + r.path("accessToken"))
          .body(Map.of("currentPassword", PASSWORD, "newPassword", next))
          .post("/api/v1/auth/password")
          .then()
          .statusCode(200)
          .extract()
          .path("accessToken");
    }
    return RestAssured.given()
        .baseUri(s.baseUrl())
        .contentType(ContentType.JSON)
        .body(Map.of("username", "admin", "password", next))
        .post("/api/v1/auth/login")
        .then()
        .statusCode(200)
        .extract()
        .path("accessToken");
  }

  private static int login(int port, String fromIp, String username, String password)
      throws IOException {
    String json = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    try (Socket s =
        new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(fromIp), 0)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Connection: close\r\nContent-Length: "
                  + json.getBytes(StandardCharsets.UTF_8).length
                  + "\r\n\r\n"
                  + json)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Integer.parseInt(all.substring(9, 12));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void exec(String url, String sql) throws Exception {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    ds.setUser(System.getenv().getOrDefault("DB_USER", "sluice"));
    ds.setPassword(System.getenv().getOrDefault("DB_PASSWORD", "sluice"));
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
