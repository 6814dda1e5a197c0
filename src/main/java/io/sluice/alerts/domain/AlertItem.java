package io.sluice.alerts.domain;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An alert as one notice carries it (stored as JSON in the outbox row, so a notice shows the alert
 * as it was when its state changed).
 *
 * @param status {@code firing} or {@code resolved}
 */
public record AlertItem(
    long alertId,
    String rule,
    String key,
    String status,
    String severity,
    String summary,
    Map<String, String> labels,
    Instant startsAt,
    Instant endsAt) {

  public AlertItem {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public boolean resolved() {
    return Alert.RESOLVED.equals(status);
  }

  public String toJson() {
    JsonObjectBuilder labelsJson = Json.createObjectBuilder();
    labels.forEach(labelsJson::add);
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("alertId", alertId)
            .add("rule", rule)
            .add("key", key)
            .add("status", status)
            .add("severity", severity)
            .add("summary", summary)
            .add("labels", labelsJson)
            .add("startsAt", startsAt.toString());
    if (endsAt != null) {
      b.add("endsAt", endsAt.toString());
    }
    return b.build().toString();
  }

  public static AlertItem fromJson(String json) {
    try (var reader = Json.createReader(new StringReader(json))) {
      JsonObject o = reader.readObject();
      Map<String, String> labels = new LinkedHashMap<>();
      o.getJsonObject("labels").forEach((k, v) -> labels.put(k, ((JsonString) v).getString()));
      return new AlertItem(
          o.getJsonNumber("alertId").longValue(),
          o.getString("rule"),
          o.getString("key"),
          o.getString("status"),
          o.getString("severity"),
          o.getString("summary"),
          labels,
          Instant.parse(o.getString("startsAt")),
          o.containsKey("endsAt") ? Instant.parse(o.getString("endsAt")) : null);
    }
  }
}
