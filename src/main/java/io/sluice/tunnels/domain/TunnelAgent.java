package io.sluice.tunnels.domain;

import java.time.Instant;
import java.util.List;

/** A registered tunnel agent as stored (never its token hash). */
public record TunnelAgent(
    long id,
    String name,
    List<String> allowedTargets,
    boolean enabled,
    Instant createdAt,
    Instant updatedAt) {}
