package io.sluice.platform.db;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Maps {@link Instant} attributes to {@code TIMESTAMP WITH TIME ZONE} columns through {@link
 * OffsetDateTime}, which both the PostgreSQL and the H2 JDBC drivers read and write natively
 * (EclipseLink's own Instant mapping fails on H2's OffsetDateTime values). Stored in UTC.
 */
@Converter(autoApply = true)
public class InstantConverter implements AttributeConverter<Instant, OffsetDateTime> {

  @Override
  public OffsetDateTime convertToDatabaseColumn(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  @Override
  public Instant convertToEntityAttribute(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}
