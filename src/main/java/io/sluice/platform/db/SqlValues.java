package io.sluice.platform.db;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Conversions of values read with native queries (drivers differ in what they return). */
public final class SqlValues {

  private SqlValues() {}

  /** A {@code TIMESTAMP WITH TIME ZONE} column as an instant ({@code null} stays null). */
  public static Instant instant(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp t) {
      return t.toInstant();
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (value instanceof Instant i) {
      return i;
    }
    return Instant.parse(value.toString());
  }
}
