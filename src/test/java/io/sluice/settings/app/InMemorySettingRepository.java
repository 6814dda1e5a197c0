package io.sluice.settings.app;

import io.sluice.settings.domain.SettingRepository;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link SettingRepository} in a map; {@code failReads} makes reads throw like a lost database. */
final class InMemorySettingRepository implements SettingRepository {

  /** A stored row. */
  record Row(String value, String actor, Instant at) {}

  final Map<String, Row> rows = new HashMap<>();
  boolean failReads;
  int reads;

  @Override
  public Optional<String> value(String name) {
    reads++;
    if (failReads) {
      throw new IllegalStateException("database unavailable");
    }
    return Optional.ofNullable(rows.get(name)).map(Row::value);
  }

  @Override
  public boolean exists(String name) {
    return rows.containsKey(name);
  }

  @Override
  public boolean update(String name, String value, String actor, Instant at) {
    return rows.replace(name, new Row(value, actor, at)) != null;
  }

  @Override
  public void insert(String name, String value, String actor, Instant at) {
    if (rows.putIfAbsent(name, new Row(value, actor, at)) != null) {
      throw new IllegalStateException("duplicate key " + name);
    }
  }
}
