package io.sluice.alerts.app;

import io.sluice.platform.problem.ApiException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of an alert channel by type (email, telegram, webhook): which ones a type has, and
 * their validation over the stored values, with secrets (passwords, tokens, headers) kept apart
 * from the plain configuration. Every error is collected, then all are reported in one 400.
 */
final class ChannelFields {

  static final Map<String, Set<String>> FIELDS =
      Map.of(
          "email", Set.of("host", "port", "tls", "username", "password", "from", "to"),
          "telegram", Set.of("botToken", "chatId", "threadId", "apiBaseUrl"),
          "webhook", Set.of("url", "headers"));

  private ChannelFields() {}

  record Values(Map<String, Object> config, Map<String, String> secrets) {}

  static String name(String name) {
    if (name == null || name.isBlank() || name.length() > 64) {
      throw ApiException.validation("name", "required, at most 64 characters");
    }
    return name.strip();
  }

  /** Validates a type's fields over the existing values; secrets go to their own map. */
  static Values validate(
      String type,
      Map<String, JsonValue> in,
      Map<String, Object> config,
      Map<String, String> secrets,
      boolean creating) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    for (String field : in.keySet()) {
      if (!FIELDS.get(type).contains(field)) {
        errors.add(new ApiException.FieldError(field, "unknown field for a " + type + " channel"));
      }
    }
    Fields f = new Fields(in, config, secrets, errors);
    switch (type) {
      case "email" -> {
        f.text("host", true);
        f.choice("tls", List.of("none", "starttls", "tls"));
        config.putIfAbsent("tls", "starttls");
        f.port();
        if (!config.containsKey("port")) {
          config.put(
              "port",
              switch ((String) config.get("tls")) {
                case "tls" -> 465L;
                case "none" -> 25L;
                default -> 587L;
              });
        }
        f.text("username", false);
        f.secret("password");
        f.address("from");
        f.addresses("to");
      }
      case "telegram" -> {
        f.secret("botToken");
        if (!secrets.containsKey("botToken")) {
          errors.add(new ApiException.FieldError("botToken", "required"));
        }
        f.idLike("chatId", true);
        f.idLike("threadId", false);
        f.url("apiBaseUrl", false);
      }
      default -> {
        f.url("url", true);
        f.headers();
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    return new Values(config, secrets);
  }

  /** Field readers that collect errors. */
  private record Fields(
      Map<String, JsonValue> in,
      Map<String, Object> config,
      Map<String, String> secrets,
      List<ApiException.FieldError> errors) {

    private void err(String field, String message) {
      errors.add(new ApiException.FieldError(field, message));
    }

    private boolean isNull(JsonValue v) {
      return v == null || v.getValueType() == JsonValue.ValueType.NULL;
    }

    void text(String field, boolean required) {
      JsonValue v = in.get(field);
      if (in.containsKey(field)) {
        if (isNull(v)) {
          config.remove(field);
        } else if (v instanceof JsonString s
            && !s.getString().isBlank()
            && s.getString().length() <= 500) {
          config.put(field, s.getString().strip());
        } else {
          err(field, "must be a non-empty string of at most 500 characters");
          return;
        }
      }
      if (required && !config.containsKey(field)) {
        err(field, "required");
      }
    }

    void choice(String field, List<String> allowed) {
      JsonValue v = in.get(field);
      if (v != null) {
        if (v instanceof JsonString s && allowed.contains(s.getString())) {
          config.put(field, s.getString());
        } else {
          err(field, "must be one of " + String.join(", ", allowed));
        }
      }
    }

    void port() {
      JsonValue v = in.get("port");
      if (v != null) {
        if (v instanceof JsonNumber n
            && n.isIntegral()
            && n.longValue() > 0
            && n.longValue() < 65536) {
          config.put("port", n.longValue());
        } else {
          err("port", "must be an integer between 1 and 65535");
        }
      }
    }

    void secret(String field) {
      JsonValue v = in.get(field);
      if (in.containsKey(field)) {
        if (isNull(v)) {
          secrets.remove(field);
        } else if (v instanceof JsonString s
            && !s.getString().isEmpty()
            && s.getString().length() <= 1000) {
          secrets.put(field, s.getString());
        } else {
          err(field, "must be a non-empty string");
        }
      }
    }

    void address(String field) {
      text(field, true);
      Object a = config.get(field);
      if (a != null && !validAddress((String) a)) {
        err(field, "must be an email address");
      }
    }

    void addresses(String field) {
      JsonValue v = in.get(field);
      if (v != null) {
        List<String> out = new ArrayList<>();
        if (v instanceof JsonArray a && !a.isEmpty() && a.size() <= 50) {
          for (JsonValue item : a) {
            if (item instanceof JsonString s && validAddress(s.getString())) {
              out.add(s.getString().strip());
            } else {
              err(field, "must be a list of email addresses");
              return;
            }
          }
          config.put(field, out);
        } else {
          err(field, "must be a list of 1 to 50 email addresses");
          return;
        }
      }
      if (!config.containsKey(field)) {
        err(field, "required");
      }
    }

    private static boolean validAddress(String s) {
      return s.length() <= 254 && s.matches("[^\\s@<>,;\"]+@[^\\s@<>,;\"]+");
    }

    void idLike(String field, boolean required) {
      JsonValue v = in.get(field);
      if (in.containsKey(field)) {
        if (isNull(v)) {
          config.remove(field);
        } else if (v instanceof JsonNumber n && n.isIntegral()) {
          config.put(field, Long.toString(n.longValue()));
        } else if (v instanceof JsonString s
            && s.getString().matches("-?[0-9]{1,20}|@[A-Za-z0-9_]{4,64}")) {
          config.put(field, s.getString());
        } else {
          err(field, "must be a numeric id (or @channelname)");
          return;
        }
      }
      if (required && !config.containsKey(field)) {
        err(field, "required");
      }
      if ("threadId".equals(field)
          && config.containsKey(field)
          && !((String) config.get(field)).matches("[0-9]{1,20}")) {
        err(field, "must be a positive number");
      }
    }

    void url(String field, boolean required) {
      JsonValue v = in.get(field);
      if (in.containsKey(field)) {
        if (isNull(v)) {
          config.remove(field);
        } else if (v instanceof JsonString s && httpUrl(s.getString())) {
          config.put(field, s.getString());
        } else {
          err(field, "must be an http:// or https:// URL");
          return;
        }
      }
      if (required && !config.containsKey(field)) {
        err(field, "required");
      }
    }

    private static boolean httpUrl(String s) {
      try {
        URI u = URI.create(s);
        return ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
            && u.getHost() != null
            && s.length() <= 1000;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }

    void headers() {
      JsonValue v = in.get("headers");
      if (v == null) {
        return;
      }
      secrets.keySet().removeIf(k -> k.startsWith("header:"));
      if (isNull(v)) {
        return;
      }
      if (!(v instanceof JsonObject o) || o.size() > 20) {
        err("headers", "must be an object of at most 20 header names to string values");
        return;
      }
      for (Map.Entry<String, JsonValue> e : o.entrySet()) {
        String name = e.getKey();
        if (!name.matches("[A-Za-z0-9-]{1,64}")
            || Set.of("host", "content-length", "content-type", "connection")
                .contains(name.toLowerCase(java.util.Locale.ROOT))
            || !(e.getValue() instanceof JsonString s)
            || s.getString().contains("\n")
            || s.getString().contains("\r")) {
          err("headers", "bad header " + name);
          return;
        }
        secrets.put("header:" + name, s.getString());
      }
    }
  }
}
