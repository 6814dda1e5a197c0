package io.sluice.tor.domain;

import java.time.Instant;

/**
 * What a node supervisor knows about its tor process right now.
 *
 * @param index the node's number on this server (0-based)
 * @param state where the node is
 * @param pid the tor process id, null when none runs
 * @param socksPort tor's SOCKS port (null until tor listens: never with {@code DisableNetwork 1})
 * @param controlPort tor's control port, null until it is known
 * @param bootstrapPercent the last {@code PROGRESS} tor reported
 * @param restarts restarts since Sluice started the node
 * @param rotation the last NEWNYM's progress: {@code none}, {@code requested}, {@code deferred}
 *     (tor's rate limit delays it), {@code done}
 * @param lastRotationAt when tor last reported {@code 650 SIGNAL NEWNYM}
 * @param newnyms NEWNYMs tor has done for this node
 * @param lastBackoffMillis the wait before the last restart
 * @param error why the node failed or last restarted, null if it never did
 * @param pinnedExit the exit relay's fingerprint the node is pinned to until its next rotation,
 *     null when it is not pinned
 */
public record NodeStatus(
    int index,
    NodeState state,
    Long pid,
    Integer socksPort,
    Integer controlPort,
    int bootstrapPercent,
    int restarts,
    String rotation,
    Instant lastRotationAt,
    long newnyms,
    long lastBackoffMillis,
    String error,
    String pinnedExit) {}
