package io.sluice.cluster.domain;

import java.time.Instant;
import java.util.List;

/**
 * A registered node: what it said of itself at its last heartbeat, and the cluster leases it holds
 * (which node runs which once-per-cluster job).
 */
public record ClusterNode(
    String id,
    String name,
    String version,
    String advertiseUrl,
    String listeners,
    Instant startedAt,
    Instant heartbeatAt,
    List<String> leases) {}
