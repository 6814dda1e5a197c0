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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Telegram sender against a local stub of the Bot API. */
class TelegramSenderTest {

  static final String TOKEN = "123456:SECRET-token";

  static Channel channel(String api, String thread) {
    Map<String, Object> config = new java.util.HashMap<>();
    config.put("chatId", "-1001234");
    config.put("apiBaseUrl", api);
    if (thread != null) {
      config.put("threadId", thread);
    }
    return new Channel(7, "tg", "telegram", true, config, Map.of("botToken", TOKEN));
  }

  static Notice notice(String summary) {
    return new Notice(
        "brute-force",
        List.of(
            new AlertItem(
                1,
                "brute-force",
                "10.0.0.1",
                "firing",
                "critical",
                summary,
                Map.of(),
                Instant.parse("2026-01-01T00:00:00Z"),
                null)),
        false);
  }

  static JsonObject json(String body) {
    try (var r = Json.createReader(new StringReader(body))) {
      return r.readObject();
    }
  }

  @Test
  void postsEscapedHtmlToTheBotPathWithTheThread() throws Exception {
    try (HttpStub api = new HttpStub()) {
      new TelegramSender(Duration.ofSeconds(5))
          .send(channel(api.url(), "42"), notice("<script>alert('x')</script> & co"));
      assertThat(api.requests()).hasSize(1);
      HttpStub.Request r = api.requests().get(0);
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/bot" + TOKEN + "/sendMessage");
      JsonObject body = json(r.body());
      assertThat(body.getString("chat_id")).isEqualTo("-1001234");
      assertThat(body.getString("parse_mode")).isEqualTo("HTML");
      assertThat(body.getJsonNumber("message_thread_id").longValue()).isEqualTo(42);
      String text = body.getString("text");
      assertThat(text)
          .startsWith("<b>[FIRING:1] brute-force</b>")
          .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co")
          .doesNotContain("<script>");
    }
  }

  @Test
  void withoutThreadNoThreadField() throws Exception {
    try (HttpStub api = new HttpStub()) {
      new TelegramSender(Duration.ofSeconds(5)).send(channel(api.url(), null), notice("x"));
      assertThat(json(api.requests().get(0).body()).containsKey("message_thread_id")).isFalse();
    }
  }

  @Test
  void tooManyRequestsCarriesRetryAfter() throws Exception {
    try (HttpStub api = new HttpStub()) {
      api.reply(
          429,
          "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 3\","
              + "\"parameters\":{\"retry_after\":3}}");
      DeliveryFailure f =
          catchThrowableOfType(
              DeliveryFailure.class,
              () ->
                  new TelegramSender(Duration.ofSeconds(5))
                      .send(channel(api.url(), null), notice("x")));
      assertThat(f.retryable()).isTrue();
      assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(3));
      assertThat(f.getMessage()).contains("429").doesNotContain(TOKEN);
    }
  }

  @Test
  void badRequestIsNotRetriedAndServerErrorIs() throws Exception {
    try (HttpStub api = new HttpStub()) {
      api.reply(
          400,
          "{\"ok\":false,\"description\":\"Bad Request: can't parse entities " + TOKEN + "\"}");
      api.reply(500, "oops");
      TelegramSender s = new TelegramSender(Duration.ofSeconds(5));
      DeliveryFailure bad =
          catchThrowableOfType(
              DeliveryFailure.class, () -> s.send(channel(api.url(), null), notice("x")));
      assertThat(bad.retryable()).isFalse();
      assertThat(bad.getMessage()).contains("400").contains("can't parse").doesNotContain(TOKEN);
      DeliveryFailure down =
          catchThrowableOfType(
              DeliveryFailure.class, () -> s.send(channel(api.url(), null), notice("x")));
      assertThat(down.retryable()).isTrue();
      assertThat(down.retryAfter()).isNull();
    }
  }

  @Test
  void longMessagesAreSplitBetweenLinesAndOverlongLinesTrimmed() throws Exception {
    List<AlertItem> items = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      items.add(
          new AlertItem(
              i + 1,
              "pool-failing",
              "pool-" + i,
              "firing",
              "warning",
              "a & b ".repeat(10),
              Map.of(),
              Instant.EPOCH,
              null));
    }
    items.add(
        new AlertItem(
            999,
            "pool-failing",
            "huge",
            "firing",
            "warning",
            "&".repeat(5000),
            Map.of(),
            Instant.EPOCH,
            null));
    try (HttpStub api = new HttpStub()) {
      new TelegramSender(Duration.ofSeconds(5))
          .send(channel(api.url(), null), new Notice("pool-failing", items, false));
      assertThat(api.requests()).hasSizeGreaterThan(1).hasSizeLessThanOrEqualTo(5);
      StringBuilder all = new StringBuilder();
      for (HttpStub.Request r : api.requests()) {
        String text = json(r.body()).getString("text");
        assertThat(text.length()).isLessThanOrEqualTo(4096);
        assertThat(text).doesNotContainPattern("&(?!amp;|lt;|gt;|quot;|#39;)"); // no cut entity
        all.append(text).append('\n');
      }
      assertThat(all).contains("pool-0:").contains("pool-119:").contains("huge:");
    }
  }

  @Test
  void partsPackLines() {
    List<String> parts = TelegramSender.parts(List.of("a".repeat(3000), "b".repeat(3000), "c"));
    assertThat(parts).hasSize(2);
    assertThat(parts.get(1)).isEqualTo("b".repeat(3000) + "\nc");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      many.add("x".repeat(4000));
    }
    List<String> capped = TelegramSender.parts(many);
    assertThat(capped).hasSize(TelegramSender.MAX_PARTS);
    assertThat(capped.get(4)).contains("16 more part(s) not sent");
  }
}
