package io.sluice.alerts.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.alerts.domain.AlertItem;
import io.sluice.alerts.domain.Channel;
import io.sluice.alerts.domain.DeliveryFailure;
import io.sluice.alerts.domain.Notice;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The webhook sender against a local receiver that checks Alertmanager's v4 format. */
class WebhookSenderTest {

  static Channel channel(String url) {
    return new Channel(
        3,
        "relay",
        "webhook",
        true,
        Map.of("url", url),
        Map.of("header:Authorization", "Bearer s3cret", "header:X-Tenant", "blue"));
  }

  @Test
  void postsAlertmanagerV4JsonWithTheSecretHeaders() throws Exception {
    Notice n =
        new Notice(
            "pool-failing",
            List.of(
                new AlertItem(
                    11,
                    "pool-failing",
                    "eu",
                    "firing",
                    "warning",
                    "3 of 10 exits failing",
                    Map.of("pool", "eu"),
                    Instant.parse("2026-01-01T00:00:00Z"),
                    null),
                new AlertItem(
                    12,
                    "pool-failing",
                    "us",
                    "resolved",
                    "warning",
                    "ok again",
                    Map.of("pool", "us"),
                    Instant.parse("2026-01-01T00:00:00Z"),
                    Instant.parse("2026-01-01T01:00:00Z"))),
            false);
    try (HttpStub receiver = new HttpStub()) {
      new WebhookSender(Duration.ofSeconds(5), "https://sluice.example.test")
          .send(channel(receiver.url() + "/hook"), n);
      assertThat(receiver.requests()).hasSize(1);
      HttpStub.Request r = receiver.requests().get(0);
      assertThat(r.path()).isEqualTo("/hook");
      assertThat(r.header("Authorization")).isEqualTo("Bearer s3cret");
      assertThat(r.header("X-Tenant")).isEqualTo("blue");
      assertThat(r.header("Content-Type")).startsWith("application/json");
      JsonObject o;
      try (var reader = Json.createReader(new StringReader(r.body()))) {
        o = reader.readObject();
      }
      assertThat(o.getString("version")).isEqualTo("4");
      assertThat(o.getString("status")).isEqualTo("firing");
      assertThat(o.getString("receiver")).isEqualTo("relay");
      assertThat(o.getString("groupKey")).isEqualTo("{}:{alertname=\"pool-failing\"}");
      assertThat(o.getInt("truncatedAlerts")).isZero();
      assertThat(o.getString("externalURL")).isEqualTo("https://sluice.example.test");
      assertThat(o.getJsonObject("groupLabels").getString("alertname")).isEqualTo("pool-failing");
      assertThat(o.getJsonObject("commonLabels").getString("alertname")).isEqualTo("pool-failing");
      assertThat(o.getJsonObject("commonLabels").containsKey("pool")).isFalse();
      assertThat(o.getJsonObject("commonAnnotations")).isEmpty();
      var alerts = o.getJsonArray("alerts");
      assertThat(alerts).hasSize(2);
      JsonObject firing = alerts.getJsonObject(0);
      assertThat(firing.getString("status")).isEqualTo("firing");
      assertThat(firing.getJsonObject("labels").getString("alertname")).isEqualTo("pool-failing");
      assertThat(firing.getJsonObject("labels").getString("severity")).isEqualTo("warning");
      assertThat(firing.getJsonObject("labels").getString("pool")).isEqualTo("eu");
      assertThat(firing.getJsonObject("annotations").getString("summary"))
          .isEqualTo("3 of 10 exits failing");
      assertThat(firing.getString("startsAt")).isEqualTo("2026-01-01T00:00:00Z");
      assertThat(firing.getString("endsAt")).isEqualTo("0001-01-01T00:00:00Z");
      assertThat(firing.getString("fingerprint")).matches("[0-9a-f]{16}");
      JsonObject resolved = alerts.getJsonObject(1);
      assertThat(resolved.getString("status")).isEqualTo("resolved");
      assertThat(resolved.getString("endsAt")).isEqualTo("2026-01-01T01:00:00Z");
      assertThat(resolved.getString("fingerprint")).isNotEqualTo(firing.getString("fingerprint"));
    }
  }

  @Test
  void clientErrorsAreFinalServerErrorsRetried() throws Exception {
    Notice n = Notice.test("relay");
    try (HttpStub receiver = new HttpStub()) {
      receiver.reply(404, "{}");
      receiver.reply(503, "{}");
      receiver.reply(429, "{}");
      WebhookSender s = new WebhookSender(Duration.ofSeconds(5), null);
      Channel c = channel(receiver.url());
      assertThat(catchThrowableOfType(DeliveryFailure.class, () -> s.send(c, n)).retryable())
          .isFalse();
      assertThat(catchThrowableOfType(DeliveryFailure.class, () -> s.send(c, n)).retryable())
          .isTrue();
      assertThat(catchThrowableOfType(DeliveryFailure.class, () -> s.send(c, n)).retryable())
          .isTrue();
    }
  }
}
