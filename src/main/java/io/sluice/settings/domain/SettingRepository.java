package io.sluice.settings.domain;

import java.time.Instant;
import java.util.Optional;

/** The shared settings rows (table {@code setting}: name, value, who changed it and when). */
public interface SettingRepository {

  /** The stored value, empty when there is no row (reads outside a transaction are allowed). */
  Optional<String> value(String name);

  /** Whether a row with this name exists. */
  boolean exists(String name);

  /** Changes an existing row; false when there is none. */
  boolean update(String name, String value, String actor, Instant at);

  /** Adds a row (the name must not exist yet). */
  void insert(String name, String value, String actor, Instant at);
}
