package io.sluice.exports.domain;

import java.time.Instant;

/**
 * A stored export link (table {@code export_link}).
 *
 * @param pool the pool of a {@code pools} link, else {@code null}
 * @param format {@code txt}, {@code csv} or {@code json}
 * @param bindCidr the CIDR downloads must come from ({@code null}: anywhere)
 * @param revokedAt when it was revoked ({@code null}: active)
 */
public record ExportLink(
    String id,
    String scope,
    String pool,
    String format,
    String bindCidr,
    Instant expiresAt,
    Instant revokedAt,
    String createdBy,
    Instant createdAt,
    long downloads) {}
