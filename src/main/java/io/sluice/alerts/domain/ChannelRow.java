package io.sluice.alerts.domain;

import java.time.Instant;

/**
 * A channel row as stored: {@code config} is JSON of the non-secret fields, {@code secretEnc} the
 * JSON of the secret fields sealed with the server key (null: none).
 */
public record ChannelRow(
    long id,
    String name,
    String type,
    boolean enabled,
    String config,
    String secretEnc,
    Instant createdAt,
    Instant updatedAt) {}
