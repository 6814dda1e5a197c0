package io.sluice.tor.app;

import java.time.Instant;
import java.util.List;

/**
 * A node as {@code GET /api/v1/tor/nodes} shows it.
 *
 * @param id the node's row id (for {@code POST /api/v1/tor/nodes/{id}/rotate})
 * @param server the Sluice server that runs it
 * @param exitName the name of its exit (kind {@code tor}, pool {@code tor})
 * @param exitPinned whether the node is pinned to its exit (tor may use no other exit for it until
 *     its next rotation)
 */
public record TorNodeView(
    long id,
    String server,
    int index,
    String state,
    int bootstrapPercent,
    Long pid,
    Integer socksPort,
    Integer controlPort,
    List<String> countries,
    String exitName,
    String exitIp,
    String exitFingerprint,
    String exitCountry,
    boolean exitPinned,
    String rotation,
    Instant lastRotationAt,
    int restarts,
    long newnyms,
    String error,
    Instant updatedAt) {}
