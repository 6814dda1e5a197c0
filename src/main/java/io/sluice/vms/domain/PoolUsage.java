package io.sluice.vms.domain;

import java.util.List;

/**
 * Usage of one pool, for stats and metrics. {@code total} counts usable addresses (reserved ones
 * excluded); {@code available = total - used - quarantined}. {@code maxWith16}/{@code maxWith8}:
 * what the pool could hold if grown to a /16 or /8 (IPv4; 0 for IPv6). IPv6 counts saturate at
 * {@link Long#MAX_VALUE}.
 */
public record PoolUsage(
    long poolId,
    String pool,
    int family,
    String tier,
    long total,
    long used,
    long quarantined,
    long available,
    List<String> prefixes,
    long maxWith16,
    long maxWith8) {}
