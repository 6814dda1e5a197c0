package io.sluice.users.domain;

import java.time.Instant;
import java.util.List;

/**
 * A proxy user as the admin API shows it (never with the password).
 *
 * @param allowedSources CIDRs from which the user may connect without a password
 * @param allowedDestinations {@code CIDR:ports} entries the user may reach despite the deny list
 * @param defaultPool the pool the user's sessions leave through when the username names none
 *     ({@code null}: direct)
 * @param allowedPools pools the user may name in the username (empty: any pool)
 * @param allowedClients CIDRs the user may connect from at all (empty: anywhere)
 */
public record ProxyUser(
    long id,
    String username,
    boolean enabled,
    Instant expiresAt,
    int maxConnections,
    long bandwidthUpBps,
    long bandwidthDownBps,
    int connectionsPerMinute,
    List<String> allowedSources,
    List<String> allowedDestinations,
    String note,
    String defaultPool,
    List<String> allowedPools,
    List<String> allowedClients,
    Instant createdAt,
    Instant updatedAt) {}
