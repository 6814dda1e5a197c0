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
    String name = ChannelFields.name(spec.name());
    if (store.channelByName(name).isPresent()) {
      throw ApiException.conflict("a channel named '" + name + "' already exists");
    }
    ChannelFields.Values v =
        ChannelFields.validate(
            spec.type(), spec.fields(), new LinkedHashMap<>(), new LinkedHashMap<>(), true);
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
    String name = spec.name() == null ? row.name() : ChannelFields.name(spec.name());
    if (!name.equals(row.name()) && store.channelByName(name).isPresent()) {
      throw ApiException.conflict("a channel named '" + name + "' already exists");
    }
    Channel open = open(row);
    ChannelFields.Values v =
        ChannelFields.validate(
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
