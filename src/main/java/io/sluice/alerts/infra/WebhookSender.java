package io.sluice.alerts.infra;

import io.sluice.alerts.domain.AlertItem;
import io.sluice.alerts.domain.Channel;
import io.sluice.alerts.domain.ChannelSender;
import io.sluice.alerts.domain.DeliveryFailure;
import io.sluice.alerts.domain.Notice;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON POST in Alertmanager's webhook format, version 4 ({@code version}, {@code groupKey},
 * {@code status}, {@code receiver}, {@code groupLabels}, {@code commonLabels}, {@code
 * commonAnnotations}, {@code externalURL}, {@code truncatedAlerts}, {@code alerts[]} with {@code
 * status}, {@code labels}, {@code annotations}, {@code startsAt}, {@code endsAt}, {@code
 * generatorURL}, {@code fingerprint}), so relays written for Alertmanager take it. The channel's
 * {@code headers} (e.g. {@code Authorization}; stored as secrets named {@code header:<name>}) are
 * write-only. 2xx is success; 408, 429 and 5xx are retried, other 4xx not.
 */
public class WebhookSender implements ChannelSender {

  /** Alertmanager's zero time, sent as {@code endsAt} of a firing alert. */
  static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final HttpSend http;
  private final String externalUrl;

  public WebhookSender(Duration timeout, String externalUrl) {
    this.http = new HttpSend(timeout);
    this.externalUrl = externalUrl == null ? "" : externalUrl;
  }

  @Override
  public String type() {
    return "webhook";
  }

  @Override
  public void send(Channel c, Notice notice) throws DeliveryFailure {
    Map<String, String> headers = new LinkedHashMap<>();
    c.secrets()
        .forEach((k, v) -> {
          if (k.startsWith("header:")) {
            headers.put(k.substring("header:".length()), v);
          }
        });
    HttpResponse<String> r =
        http.post(c.string("url"), payload(c.name(), notice).toString(), headers, "webhook");
    int s = r.statusCode();
    if (s / 100 != 2) {
      boolean retry = s == 408 || s == 429 || s >= 500;
      throw new DeliveryFailure("webhook answered " + s, retry);
    }
  }

  /** The Alertmanager v4 document for a notice sent to {@code receiver}. */
  public JsonObject payload(String receiver, Notice notice) {
    JsonArrayBuilder alerts = Json.createArrayBuilder();
    Map<String, String> common = null;
    for (AlertItem i : notice.items()) {
      Map<String, String> labels = labels(i);
      if (common == null) {
        common = new LinkedHashMap<>(labels);
      } else {
        common.entrySet().removeIf(e -> !e.getValue().equals(labels.get(e.getKey())));
      }
      alerts.add(
          Json.createObjectBuilder()
              .add("status", i.resolved() ? "resolved" : "firing")
              .add("labels", object(labels))
              .add("annotations", Json.createObjectBuilder().add("summary", i.summary()))
              .add("startsAt", i.startsAt().toString())
              .add("endsAt", i.endsAt() == null ? ZERO_TIME : i.endsAt().toString())
              .add("generatorURL", externalUrl)
              .add("fingerprint", fingerprint(labels)));
    }
    return Json.createObjectBuilder()
        .add("version", "4")
        .add("groupKey", "{}:{alertname=\"" + notice.rule() + "\"}")
        .add("truncatedAlerts", 0)
        .add("status", notice.firing().isEmpty() ? "resolved" : "firing")
        .add("receiver", receiver)
        .add("groupLabels", Json.createObjectBuilder().add("alertname", notice.rule()))
        .add("commonLabels", object(common == null ? Map.of() : common))
        .add("commonAnnotations", Json.createObjectBuilder())
        .add("externalURL", externalUrl)
        .add("alerts", alerts)
        .build();
  }

  private static Map<String, String> labels(AlertItem i) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("alertname", i.rule());
    l.put("severity", i.severity());
    l.put("key", i.key());
    i.labels().forEach(l::putIfAbsent);
    return l;
  }

  private static JsonObjectBuilder object(Map<String, String> m) {
    JsonObjectBuilder b = Json.createObjectBuilder();
    m.forEach(b::add);
    return b;
  }

  /** 16 hex digits of the SHA-256 of the sorted labels (Alertmanager's is a 64-bit hash). */
  static String fingerprint(Map<String, String> labels) {
    StringBuilder b = new StringBuilder();
    new java.util.TreeMap<>(labels)
        .forEach((k, v) -> b.append(k).append('\0').append(v).append('\0'));
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
