package io.sluice.alerts.infra;

import io.sluice.alerts.domain.Alert;
import io.sluice.alerts.domain.AlertStore;
import io.sluice.alerts.domain.ChannelRow;
import io.sluice.alerts.domain.Delivery;
import io.sluice.platform.db.Sql;
import io.sluice.platform.db.SqlValues;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link AlertStore} in SQL that runs on PostgreSQL and on H2 (PostgreSQL mode): the outbox claim
 * is {@code SELECT ... FOR UPDATE SKIP LOCKED} followed by a conditional {@code UPDATE} of the
 * claim columns, so two nodes never claim one row.
 */
public class SqlAlertStore implements AlertStore {

  private static final String ALERT =
      "SELECT id, rule, alert_key, state, severity, summary, labels, starts_at, last_seen_at, "
          + "fired_at, notified_at, ends_at FROM alert";
  private static final String CHANNEL =
      "SELECT id, name, type, enabled, config, secret_enc, created_at, updated_at FROM alert_channel";
  private static final String DELIVERY =
      "SELECT id, channel_id, alert_id, rule, kind, payload, state, attempts, next_attempt_at, "
          + "last_error, created_at, sent_at FROM alert_delivery";

  private final Sql sql;

  public SqlAlertStore(Sql sql) {
    this.sql = sql;
  }

  /** The SQL of the caller's transaction (subclasses in the server use the entity manager). */
  protected Sql sql() {
    return sql;
  }

  @Override
  public Optional<Alert> live(String rule, String key) {
    return queryAlerts(ALERT + " WHERE active_key = ? FOR UPDATE", rule + "|" + key).stream()
        .findFirst();
  }

  @Override
  public List<Alert> live() {
    return queryAlerts(ALERT + " WHERE active_key IS NOT NULL ORDER BY id");
  }

  @Override
  public void insert(Alert a) {
    a.id = num(sql().rows("SELECT nextval('alert_seq')").get(0)[0]);
    sql()
        .update(
            "INSERT INTO alert (id, rule, alert_key, active_key, state, severity, summary, labels, "
                + "starts_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            a.id,
            a.rule,
            a.key,
            a.activeKey(),
            a.state,
            a.severity,
            a.summary,
            labelsJson(a.labels),
            a.startsAt,
            a.lastSeenAt);
  }

  @Override
  public void update(Alert a) {
    Update u = new Update("UPDATE alert SET ");
    u.set("active_key", a.activeKey());
    u.set("state", a.state);
    u.set("summary", a.summary);
    u.set("labels", labelsJson(a.labels));
    u.set("last_seen_at", a.lastSeenAt);
    u.set("fired_at", a.firedAt);
    u.set("notified_at", a.notifiedAt);
    u.set("ends_at", a.endsAt);
    u.where(" WHERE id = ?", a.id);
    u.run(sql());
  }

  @Override
  public List<Alert> alerts(String state, int limit) {
    return state == null
        ? queryAlerts(ALERT + " ORDER BY id DESC LIMIT ?", limit)
        : queryAlerts(ALERT + " WHERE state = ? ORDER BY id DESC LIMIT ?", state, limit);
  }

  private List<Alert> queryAlerts(String query, Object... params) {
    List<Alert> out = new ArrayList<>();
    for (Object[] r : sql().rows(query, params)) {
      Alert a = new Alert();
      a.id = num(r[0]);
      a.rule = (String) r[1];
      a.key = (String) r[2];
      a.state = (String) r[3];
      a.severity = (String) r[4];
      a.summary = (String) r[5];
      a.labels = labels((String) r[6]);
      a.startsAt = SqlValues.instant(r[7]);
      a.lastSeenAt = SqlValues.instant(r[8]);
      a.firedAt = SqlValues.instant(r[9]);
      a.notifiedAt = SqlValues.instant(r[10]);
      a.endsAt = SqlValues.instant(r[11]);
      out.add(a);
    }
    return out;
  }

  @Override
  public List<ChannelRow> channels() {
    return queryChannels(CHANNEL + " ORDER BY id");
  }

  @Override
  public Optional<ChannelRow> channel(long id) {
    return queryChannels(CHANNEL + " WHERE id = ?", id).stream().findFirst();
  }

  @Override
  public Optional<ChannelRow> channelByName(String name) {
    return queryChannels(CHANNEL + " WHERE name = ?", name).stream().findFirst();
  }

  private List<ChannelRow> queryChannels(String query, Object... params) {
    List<ChannelRow> out = new ArrayList<>();
    for (Object[] r : sql().rows(query, params)) {
      out.add(
          new ChannelRow(
              num(r[0]),
              (String) r[1],
              (String) r[2],
              Boolean.TRUE.equals(r[3]),
              (String) r[4],
              (String) r[5],
              SqlValues.instant(r[6]),
              SqlValues.instant(r[7])));
    }
    return out;
  }

  @Override
  public long insertChannel(ChannelRow c) {
    long id = num(sql().rows("SELECT nextval('alert_channel_seq')").get(0)[0]);
    Update u =
        new Update(
            "INSERT INTO alert_channel (id, name, type, enabled, config, created_at, "
                + "updated_at, secret_enc) VALUES (?, ?, ?, ?, ?, ?, ?, ");
    u.params.addAll(
        List.of(id, c.name(), c.type(), c.enabled(), c.config(), c.createdAt(), c.updatedAt()));
    if (c.secretEnc() == null) {
      u.text.append("NULL)");
    } else {
      u.text.append("?)");
      u.params.add(c.secretEnc());
    }
    u.run(sql());
    return id;
  }

  @Override
  public void updateChannel(ChannelRow c) {
    Update u = new Update("UPDATE alert_channel SET ");
    u.set("name", c.name());
    u.set("enabled", c.enabled());
    u.set("config", c.config());
    u.set("secret_enc", c.secretEnc());
    u.set("updated_at", c.updatedAt());
    u.where(" WHERE id = ?", c.id());
    u.run(sql());
  }

  @Override
  public boolean deleteChannel(long id) {
    return sql().update("DELETE FROM alert_channel WHERE id = ?", id) == 1;
  }

  @Override
  public long enqueue(
      long channelId, Long alertId, String rule, String kind, String payload, Instant now) {
    long id = num(sql().rows("SELECT nextval('alert_delivery_seq')").get(0)[0]);
    sql()
        .update(
            "INSERT INTO alert_delivery (id, channel_id, alert_id, rule, kind, payload, state, "
                + "attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
            id,
            channelId,
            alertId == null ? 0L : alertId,
            rule,
            kind,
            payload,
            now,
            now);
    return id;
  }

  @Override
  public List<Delivery> claim(String node, Instant now, Instant until, int limit) {
    List<Object[]> due =
        sql()
            .rows(
                "SELECT id FROM alert_delivery WHERE state = 'pending' AND next_attempt_at <= ? "
                    + "AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ? "
                    + "FOR UPDATE SKIP LOCKED",
                now,
                now,
                limit);
    List<Delivery> out = new ArrayList<>();
    for (Object[] r : due) {
      long id = num(r[0]);
      int n =
          sql()
              .update(
                  "UPDATE alert_delivery SET claimed_by = ?, claimed_until = ? WHERE id = ? "
                      + "AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)",
                  node,
                  until,
                  id,
                  now);
      if (n == 1) {
        out.addAll(queryDeliveries(DELIVERY + " WHERE id = ?", id));
      }
    }
    return out;
  }

  @Override
  public void sent(long id, String node, Instant now) {
    sql()
        .update(
            "UPDATE alert_delivery SET state = 'sent', sent_at = ?, attempts = attempts + 1, "
                + "claimed_until = NULL WHERE id = ? AND claimed_by = ?",
            now,
            id,
            node);
  }

  @Override
  public void retry(long id, String node, int attempts, Instant next, String error) {
    sql()
        .update(
            "UPDATE alert_delivery SET attempts = ?, next_attempt_at = ?, last_error = ?, "
                + "claimed_until = NULL WHERE id = ? AND claimed_by = ?",
            attempts,
            next,
            error,
            id,
            node);
  }

  @Override
  public void failed(long id, String node, int attempts, String error) {
    sql()
        .update(
            "UPDATE alert_delivery SET state = 'failed', attempts = ?, last_error = ?, "
                + "claimed_until = NULL WHERE id = ? AND claimed_by = ?",
            attempts,
            error,
            id,
            node);
  }

  @Override
  public List<Delivery> deliveries(String state, int limit) {
    return state == null
        ? queryDeliveries(DELIVERY + " ORDER BY id DESC LIMIT ?", limit)
        : queryDeliveries(DELIVERY + " WHERE state = ? ORDER BY id DESC LIMIT ?", state, limit);
  }

  private List<Delivery> queryDeliveries(String query, Object... params) {
    List<Delivery> out = new ArrayList<>();
    for (Object[] r : sql().rows(query, params)) {
      long alertId = num(r[2]);
      out.add(
          new Delivery(
              num(r[0]),
              num(r[1]),
              alertId == 0 ? null : alertId,
              (String) r[3],
              (String) r[4],
              (String) r[5],
              (String) r[6],
              (int) num(r[7]),
              SqlValues.instant(r[8]),
              (String) r[9],
              SqlValues.instant(r[10]),
              SqlValues.instant(r[11])));
    }
    return out;
  }

  @Override
  public Optional<String> memo(String rule, String key) {
    return sql()
        .rows("SELECT memo_value FROM alert_memo WHERE rule = ? AND memo_key = ?", rule, key)
        .stream()
        .map(r -> (String) r[0])
        .findFirst();
  }

  @Override
  public void memo(String rule, String key, String value, Instant now) {
    int n =
        sql()
            .update(
                "UPDATE alert_memo SET memo_value = ?, updated_at = ? WHERE rule = ? AND memo_key = ?",
                value,
                now,
                rule,
                key);
    if (n == 0) {
      sql()
          .update(
              "INSERT INTO alert_memo (rule, memo_key, memo_value, updated_at) VALUES (?, ?, ?, ?)",
              rule,
              key,
              value,
              now);
    }
  }

  @Override
  public int purge(Instant before) {
    int n =
        sql()
            .update(
                "DELETE FROM alert_delivery WHERE state <> 'pending' AND created_at < ?", before);
    return n
        + sql()
            .update(
                "DELETE FROM alert WHERE active_key IS NULL AND ends_at < ? AND id NOT IN "
                    + "(SELECT alert_id FROM alert_delivery)",
                before);
  }

  static long num(Object o) {
    return o == null ? 0 : ((Number) o).longValue();
  }

  static String labelsJson(Map<String, String> labels) {
    JsonObjectBuilder b = Json.createObjectBuilder();
    labels.forEach(b::add);
    return b.build().toString();
  }

  static Map<String, String> labels(String json) {
    Map<String, String> out = new LinkedHashMap<>();
    if (json == null || json.isBlank()) {
      return out;
    }
    try (var r = Json.createReader(new StringReader(json))) {
      r.readObject().forEach((k, v) -> out.put(k, ((JsonString) v).getString()));
    }
    return out;
  }

  /** An UPDATE whose null values are written as SQL {@code NULL} (never bound as parameters). */
  private static final class Update {
    final StringBuilder text;
    final List<Object> params = new ArrayList<>();
    private boolean first = true;

    Update(String start) {
      text = new StringBuilder(start);
    }

    void set(String column, Object value) {
      text.append(first ? "" : ", ").append(column).append(value == null ? " = NULL" : " = ?");
      first = false;
      if (value != null) {
        params.add(value);
      }
    }

    void where(String clause, Object param) {
      text.append(clause);
      params.add(param);
    }

    void run(Sql sql) {
      sql.update(text.toString(), params.toArray());
    }
  }
}
