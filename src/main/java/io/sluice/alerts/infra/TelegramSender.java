package io.sluice.alerts.infra;

import io.sluice.alerts.domain.Channel;
import io.sluice.alerts.domain.ChannelSender;
import io.sluice.alerts.domain.DeliveryFailure;
import io.sluice.alerts.domain.Notice;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Telegram Bot API {@code sendMessage} with {@code parse_mode=HTML}: every value HTML-escaped, the
 * message split between lines into parts of at most {@value #LIMIT} characters (a longer line is
 * trimmed, at most {@value #MAX_PARTS} parts), optional {@code message_thread_id}, and the API base
 * URL configurable ({@code apiBaseUrl}, default {@code https://api.telegram.org}). A 429 answer's
 * {@code parameters.retry_after} becomes the earliest next attempt; 400/401/403/404 are not
 * retried; other failures are. The bot token is never logged or put in an error.
 */
public class TelegramSender implements ChannelSender {

  static final int LIMIT = 4096;
  static final int MAX_PARTS = 5;
  static final String DEFAULT_API = "https://api.telegram.org";

  private final HttpSend http;

  public TelegramSender(Duration timeout) {
    this.http = new HttpSend(timeout);
  }

  @Override
  public String type() {
    return "telegram";
  }

  @Override
  public void send(Channel c, Notice notice) throws DeliveryFailure {
    String token = c.secrets().get("botToken");
    String base = c.string("apiBaseUrl") == null ? DEFAULT_API : c.string("apiBaseUrl");
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    String url = base + "/bot" + token + "/sendMessage";
    for (String part : parts(notice.lines(true))) {
      JsonObjectBuilder body =
          Json.createObjectBuilder()
              .add("chat_id", c.string("chatId"))
              .add("text", part)
              .add("parse_mode", "HTML")
              .add("disable_web_page_preview", true);
      String thread = c.string("threadId");
      if (thread != null && !thread.isBlank()) {
        body.add("message_thread_id", Long.parseLong(thread));
      }
      HttpResponse<String> r = http.post(url, body.build().toString(), Map.of(), "Telegram API");
      check(r, token);
    }
  }

  private static void check(HttpResponse<String> r, String token) throws DeliveryFailure {
    int status = r.statusCode();
    if (status == 200) {
      return;
    }
    JsonObject o = null;
    try (var reader = Json.createReader(new StringReader(r.body()))) {
      o = reader.readObject();
    } catch (RuntimeException notJson) {
      // keep o null: the status alone decides
    }
    String description =
        o != null && o.containsKey("description") ? o.getString("description", "") : "";
    description = description.replace(token, "***");
    String what =
        "Telegram API answered " + status + (description.isEmpty() ? "" : ": " + description);
    if (status == 429) {
      long after = 30;
      if (o != null
          && o.get("parameters") instanceof JsonObject p
          && p.containsKey("retry_after")) {
        after = p.getJsonNumber("retry_after").longValue();
      }
      throw new DeliveryFailure(what, true, Duration.ofSeconds(Math.max(1, after)));
    }
    boolean permanent = status == 400 || status == 401 || status == 403 || status == 404;
    throw new DeliveryFailure(what, !permanent);
  }

  /** Lines joined into parts of at most {@link #LIMIT} characters; over-long lines trimmed. */
  static List<String> parts(List<String> lines) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : lines) {
      String l = line.length() > LIMIT ? trim(line) : line;
      if (cur.length() + l.length() + 1 > LIMIT && cur.length() > 0) {
        parts.add(cur.toString());
        cur.setLength(0);
      }
      if (cur.length() > 0) {
        cur.append('\n');
      }
      cur.append(l);
    }
    if (cur.length() > 0) {
      parts.add(cur.toString());
    }
    if (parts.size() > MAX_PARTS) {
      int dropped = parts.size() - (MAX_PARTS - 1);
      parts = new ArrayList<>(parts.subList(0, MAX_PARTS - 1));
      parts.add("… " + dropped + " more part(s) not sent; see GET /api/v1/alerts");
    }
    return parts;
  }

  /** Cuts an escaped line before {@link #LIMIT}, never inside an entity such as {@code &amp;}. */
  private static String trim(String line) {
    int end = LIMIT - 1;
    int amp = line.lastIndexOf('&', end);
    if (amp >= 0 && line.indexOf(';', amp) >= end) {
      end = amp;
    }
    return line.substring(0, end) + "…";
  }
}
