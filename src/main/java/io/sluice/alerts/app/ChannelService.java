package io.sluice.alerts.app;

import io.sluice.alerts.domain.AlertStore;
import io.sluice.alerts.domain.AlertTx;
import io.sluice.alerts.domain.Channel;
import io.sluice.alerts.domain.ChannelRow;
import io.sluice.alerts.domain.DeliveryFailure;
import io.sluice.alerts.domain.Notice;
import io.sluice.alerts.domain.Senders;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Alert channels: validation per type, the secret fields (email {@code password}, Telegram {@code
 * botToken}, webhook {@code headers}) sealed with the server key and never shown or logged, and the
 * test message.
 */
@ApplicationScoped
public class ChannelService {

  private static final Logger LOG = System.getLogger(ChannelService.class.getName());
  static final String PURPOSE = "alert-channel";
  static final Set<String> TYPES = Set.of("email", "telegram", "webhook");
  static final Map<String, Set<String>> FIELDS =
      Map.of(
          "email", Set.of("host", "port", "tls", "username", "password", "from", "to"),
          "telegram", Set.of("botToken", "chatId", "threadId", "apiBaseUrl"),
          "webhook", Set.of("url", "headers"));
  static final Set<String> SECRETS = Set.of("password", "botToken", "headers");

  @Inject AlertStore store;
  @Inject ServerKeys keys;
  @Inject Senders senders;
  @Inject DeliveryMetrics metrics;
  @Inject AlertTx tx;

  /** A channel as the API shows it: the non-secret fields and which secrets are set. */
  public record ChannelView(
      long id,
      String name,
      String type,
      boolean enabled,
      Map<String, Object> settings,
      List<String> secretsSet,
      Instant createdAt,
      Instant updatedAt) {}

  /** What a request asked for: common fields, and the type's fields as JSON values. */
  public record Spec(String name, String type, Boolean enabled, Map<String, JsonValue> fields) {}

  @Transactional
  public List<ChannelView> list() {
    return store.channels().stream().map(this::view).toList();
  }

  @Transactional
  public ChannelView get(long id) {
    return view(find(id));
  }

  @Transactional
  public ChannelView create(Spec spec) {
    if (spec.type() == null || !TYPES.contains(spec.type())) {
      throw ApiException.validation("type", "must be one of email, telegram, webhook");
    }
    String name = name(spec.name());
    if (store.channelByName(name).isPresent()) {
      throw ApiException.conflict("a channel named '" + name + "' already exists");
    }
    Values v =
        validate(spec.type(), spec.fields(), new LinkedHashMap<>(), new LinkedHashMap<>(), true);
    Instant now = Instant.now();
    long id =
        store.insertChannel(
            new ChannelRow(
                0,
                name,
                spec.type(),
                spec.enabled() == null || spec.enabled(),
                json(v.config()),
                seal(v.secrets()),
                now,
                now));
    LOG.log(Level.INFO, "SLUICE0810I: alert channel {0} ({1}) created", name, spec.type());
    return view(find(id));
  }

  /** Changes the given fields; secrets not given stay as they were. The type cannot change. */
  @Transactional
  public ChannelView update(long id, Spec spec) {
    ChannelRow row = find(id);
    if (spec.type() != null && !spec.type().equals(row.type())) {
      throw ApiException.validation("type", "cannot be changed; create another channel");
    }
    String name = spec.name() == null ? row.name() : name(spec.name());
    if (!name.equals(row.name()) && store.channelByName(name).isPresent()) {
      throw ApiException.conflict("a channel named '" + name + "' already exists");
    }
    Channel open = open(row);
    Values v =
        validate(
            row.type(),
            spec.fields(),
            new LinkedHashMap<>(open.config()),
            new LinkedHashMap<>(open.secrets()),
            false);
    store.updateChannel(
        new ChannelRow(
            id,
            name,
            row.type(),
            spec.enabled() == null ? row.enabled() : spec.enabled(),
            json(v.config()),
            seal(v.secrets()),
            row.createdAt(),
            Instant.now()));
    return view(find(id));
  }

  @Transactional
  public void delete(long id) {
    if (!store.deleteChannel(id)) {
      throw ApiException.notFound("alert channel " + id);
    }
  }

  /** Sends a test message now, outside the outbox; answers what happened. */
  public Map<String, Object> test(long id) {
    Channel c = open(loadRow(id));
    try {
      senders.of(c.type()).send(c, Notice.test(c.name()));
      metrics.outcome(c.type(), "sent");
      return Map.of("sent", true);
    } catch (DeliveryFailure f) {
      metrics.outcome(c.type(), "failed");
      LOG.log(
          Level.WARNING,
          "SLUICE0811W: test message to alert channel {0} failed: {1}",
          c.name(),
          f.getMessage());
      return Map.of("sent", false, "error", f.getMessage(), "retryable", f.retryable());
    }
  }

  private ChannelRow loadRow(long id) {
    return tx.inTransaction(s -> s.channel(id))
        .orElseThrow(() -> ApiException.notFound("alert channel " + id));
  }

  private ChannelRow find(long id) {
    return store.channel(id).orElseThrow(() -> ApiException.notFound("alert channel " + id));
  }

  /** A stored channel with its secrets opened. */
  public Channel open(ChannelRow row) {
    Map<String, Object> config = new LinkedHashMap<>();
    readJson(row.config()).forEach((k, v) -> config.put(k, plain(v)));
    Map<String, String> secrets = new LinkedHashMap<>();
    if (row.secretEnc() != null) {
      readJson(keys.box().openString(PURPOSE, row.secretEnc()))
          .forEach((k, v) -> {
            if (v instanceof JsonString s) {
              secrets.put(k, s.getString());
            }
          });
    }
    return new Channel(row.id(), row.name(), row.type(), row.enabled(), config, secrets);
  }

  private ChannelView view(ChannelRow row) {
    Channel c = open(row);
    List<String> set = new ArrayList<>();
    if (c.secrets().containsKey("password")) {
      set.add("password");
    }
    if (c.secrets().containsKey("botToken")) {
      set.add("botToken");
    }
    if (c.secrets().keySet().stream().anyMatch(k -> k.startsWith("header:"))) {
      set.add("headers");
    }
    return new ChannelView(
        row.id(),
        row.name(),
        row.type(),
        row.enabled(),
        c.config(),
        set,
        row.createdAt(),
        row.updatedAt());
  }

  private record Values(Map<String, Object> config, Map<String, String> secrets) {}

  private static String name(String name) {
    if (name == null || name.isBlank() || name.length() > 64) {
      throw ApiException.validation("name", "required, at most 64 characters");
    }
    return name.strip();
  }

  /** Validates a type's fields over the existing values; secrets go to their own map. */
  private static Values validate(
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

  private String seal(Map<String, String> secrets) {
    if (secrets.isEmpty()) {
      return null;
    }
    JsonObjectBuilder b = Json.createObjectBuilder();
    secrets.forEach(b::add);
    return keys.box().sealString(PURPOSE, b.build().toString());
  }

  private static String json(Map<String, Object> config) {
    return Json.createObjectBuilder(config).build().toString();
  }

  private static JsonObject readJson(String s) {
    try (var r = Json.createReader(new StringReader(s))) {
      return r.readObject();
    }
  }

  private static Object plain(JsonValue v) {
    return switch (v) {
      case JsonString s -> s.getString();
      case JsonNumber n -> n.longValue();
      case JsonArray a ->
          a.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
      default -> v.toString();
    };
  }
}
