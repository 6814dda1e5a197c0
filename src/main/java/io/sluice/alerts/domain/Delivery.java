package io.sluice.alerts.domain;

import java.time.Instant;

/**
 * An outbox row: one notice of one alert (or a test) for one channel.
 *
 * @param kind {@code firing}, {@code repeat}, {@code resolved} or {@code test}
 * @param payload the {@link AlertItem} as JSON
 * @param state {@code pending}, {@code sent} or {@code failed}
 */
public record Delivery(
    long id,
    long channelId,
    Long alertId,
    String rule,
    String kind,
    String payload,
    String state,
    int attempts,
    Instant nextAttemptAt,
    String lastError,
    Instant createdAt,
    Instant sentAt) {

  public static final String PENDING = "pending";
  public static final String SENT = "sent";
  public static final String FAILED = "failed";
}
