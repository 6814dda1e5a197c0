package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.sluice.alerts.infra.HttpStub;
import io.sluice.alerts.infra.SmtpServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Alerts end to end on the running server (server.env makes the outbox and the rules run every
 * second or two): a brute force provoked through the real login endpoint reaches a real SMTP server
 * (aiosmtpd) as one grouped mail, then a resolved mail when the source goes quiet; channels keep
 * their secrets write-only; the test message reaches a webhook receiver in Alertmanager's format.
 * The brute force comes from 127.0.0.10 (exempt from the login rate limit, used by no other test).
 */
class AlertsIT {

  private static final String SOURCE = "127.0.0.10";

  @Test
  void bruteForceIsMailedOnceGroupedThenResolved() throws Exception {
    try (SmtpServer smtp = SmtpServer.start()) {
      long id =
          Api.admin()
              .body(
                  Map.of(
                      "name", Api.unique("mail"),
                      "type", "email",
                      "host", "127.0.0.1",
                      "port", smtp.port(),
                      "tls", "none",
                      "from", "sluice@example.test",
                      "to", List.of("ops@example.test")))
              .post("/api/v1/alerts/channels")
              .then()
              .statusCode(201)
              .extract()
              .jsonPath()
              .getLong("id");
      try {
        for (int i = 1; i <= 6; i++) {
          int status = LoginLockoutIT.login(SOURCE, Api.unique("intruder"), "wrong-" + i).status();
          assertThat(status).as("attempt " + i).isIn(401, 429);
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(300))
            .until(() -> mailsAbout(smtp, false).size() == 1);
        String firing = mailsAbout(smtp, false).get(0);
        assertThat(firing)
            .containsPattern("Subject: Sluice \\[FIRING:[0-9]+\\] brute-force")
            .contains("failed admin logins or lockouts from " + SOURCE)
            .contains("text/html");

        JsonPath alerts =
            Api.admin().get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
        assertThat(alerts.getList("firing.findAll { it.rule == 'brute-force' }.key", String.class))
            .contains(SOURCE);

        // quiet for the window (15 s here): one resolved mail, and no second firing one
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> mailsAbout(smtp, true).size() == 1);
        assertThat(mailsAbout(smtp, false)).hasSize(1);
        assertThat(mailsAbout(smtp, true).get(0)).contains("brute-force");

        JsonPath after =
            Api.admin().get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
        assertThat(
                after.getList("history.findAll { it.key == '" + SOURCE + "' }.state", String.class))
            .contains("resolved");
        JsonPath deliveries =
            Api.admin()
                .queryParam("state", "sent")
                .get("/api/v1/alerts/deliveries")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(
                deliveries.getList(
                    "items.findAll { it.channelId == " + id + " }.kind", String.class))
            .contains("firing", "resolved");
        String metrics = Api.anon().accept("text/plain").get("/metrics").asString();
        assertThat(metrics)
            .containsPattern(
                "sluice_alert_deliveries_total\\{[^}]*channel=\"email\"[^}]*outcome=\"sent\"[^}]*\\} [1-9]");
      } finally {
        Api.admin().delete("/api/v1/alerts/channels/" + id).then().statusCode(204);
      }
    }
  }

  /**
   * Brute-force mails that list {@link #SOURCE} as firing ({@code resolved} false) or as resolved.
   * Other tests' brute-force sources may be grouped into the same mail, so the text part's item
   * lines are read rather than the subject: an item before the first "Resolved:" heading is firing.
   */
  private static List<String> mailsAbout(SmtpServer smtp, boolean resolved) throws Exception {
    return smtp.messages().stream()
        .filter(m -> m.contains("brute-force"))
        .filter(m -> {
          int item = m.indexOf("] " + SOURCE + ":");
          if (item < 0) {
            return false;
          }
          int heading = m.indexOf("\nResolved:");
          boolean isResolved = heading >= 0 && heading < item;
          return isResolved == resolved;
        })
        .toList();
  }

  @Test
  void secretsAreWriteOnlyAndTheTestMessageReachesTheWebhook() throws Exception {
    try (HttpStub receiver = new HttpStub()) {
      JsonPath created =
          Api.admin()
              .body(
                  Map.of(
                      "name",
                      Api.unique("hook"),
                      "type",
                      "webhook",
                      "url",
                      receiver.url() + "/alerts",
                      "headers",
                      Map.of("Authorization", "Bearer hook-secret-value")))
              .post("/api/v1/alerts/channels")
              .then()
              .statusCode(201)
              .extract()
              .jsonPath();
      long id = created.getLong("id");
      try {
        assertThat(created.prettify()).doesNotContain("hook-secret-value");
        assertThat(created.getList("secretsSet", String.class)).containsExactly("headers");
        String listed = Api.admin().get("/api/v1/alerts/channels").asString();
        assertThat(listed).doesNotContain("hook-secret-value");

        JsonPath tested =
            Api.admin()
                .post("/api/v1/alerts/channels/" + id + "/test")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(tested.getBoolean("sent")).isTrue();
        assertThat(receiver.requests()).hasSize(1);
        HttpStub.Request r = receiver.requests().get(0);
        assertThat(r.path()).isEqualTo("/alerts");
        assertThat(r.header("Authorization")).isEqualTo("Bearer hook-secret-value");
        JsonPath body = JsonPath.from(r.body());
        assertThat(body.getString("version")).isEqualTo("4");
        assertThat(body.getString("status")).isEqualTo("firing");
        assertThat(body.getString("alerts[0].labels.alertname")).isEqualTo("test");

        // a PATCH without headers keeps them
        Api.admin()
            .body(Map.of("enabled", false))
            .patch("/api/v1/alerts/channels/" + id)
            .then()
            .statusCode(200);
        Api.admin().post("/api/v1/alerts/channels/" + id + "/test").then().statusCode(200);
        assertThat(receiver.requests().get(1).header("Authorization"))
            .isEqualTo("Bearer hook-secret-value");
        String log =
            java.nio.file.Files.readString(
                java.nio.file.Path.of(
                    System.getProperty(
                        "sluice.it.server.log",
                        "target/liberty/wlp/usr/servers/sluice/logs/messages.log")));
        assertThat(log).doesNotContain("hook-secret-value");
      } finally {
        Api.admin().delete("/api/v1/alerts/channels/" + id).then().statusCode(204);
      }
    }
  }

  @Test
  void telegramChannelHidesTheTokenAndBadChannelsAreRefused() {
    JsonPath tg =
        Api.admin()
            .body(
                Map.of(
                    "name",
                    Api.unique("tg"),
                    "type",
                    "telegram",
                    "botToken",
                    "123456:bot-token-secret",
                    "chatId",
                    -100123,
                    "threadId",
                    7,
                    "apiBaseUrl",
                    "http://127.0.0.1:9/"))
            .post("/api/v1/alerts/channels")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    long id = tg.getLong("id");
    try {
      assertThat(tg.prettify()).doesNotContain("bot-token-secret");
      assertThat(tg.getString("settings.chatId")).isEqualTo("-100123");
      assertThat(tg.getString("settings.threadId")).isEqualTo("7");
      JsonPath test =
          Api.admin()
              .post("/api/v1/alerts/channels/" + id + "/test")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(test.getBoolean("sent")).isFalse();
      assertThat(test.getString("error")).doesNotContain("bot-token-secret");
    } finally {
      Api.admin().delete("/api/v1/alerts/channels/" + id).then().statusCode(204);
    }
    Api.admin()
        .body(Map.of("name", Api.unique("x"), "type", "pager"))
        .post("/api/v1/alerts/channels")
        .then()
        .statusCode(400);
    var missing =
        Api.admin()
            .body(Map.of("name", Api.unique("x"), "type", "email", "host", "127.0.0.1"))
            .post("/api/v1/alerts/channels")
            .then()
            .statusCode(400)
            .extract()
            .jsonPath();
    assertThat(missing.getList("errors.field", String.class)).contains("from", "to");
    Api.anon().get("/api/v1/alerts/channels").then().statusCode(401);
  }
}
