package io.sluice.tunnels.domain;

import java.time.Instant;
import java.util.List;

/**
 * A tunnel mapping: a public port relayed through an agent to {@code targetHost:targetPort}. Shown
 * by the API as is, applied by the router ({@code bandwidthBps} and {@code maxConnections} 0 =
 * unlimited; {@code allowedSources} empty = every address).
 */
public record TunnelMapping(
    long id,
    long agentId,
    String targetHost,
    int targetPort,
    int publicPort,
    List<String> allowedSources,
    long bandwidthBps,
    int maxConnections,
    Instant createdAt) {}
