package io.sluice.vms.domain;

import java.util.List;

/** Usage of one pool, for stats and metrics. */
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
