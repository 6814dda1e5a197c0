package io.sluice.exits.domain;

import java.time.Instant;

/**
 * A session (username {@code session-KEY}) left its exit because the exit was no longer selectable
 * for it, and was given another exit, which it keeps from now on. Fired by the exits app layer on
 * every node where the move happened (the session table is per node).
 *
 * @param pool the pool whose session table holds the session
 * @param userId the proxy user's id, or null for an anonymous principal
 * @param sessionKey the session key from the username
 * @param fromExitId the exit the session had
 * @param fromExitName its name, or null if it no longer exists
 * @param toExitId the exit the session has now
 * @param toExitName its name
 * @param reason {@code unhealthy}, {@code disabled}, {@code removed}, {@code other-country} or
 *     {@code connect-failed}
 * @param at when
 */
public record StickySessionMoved(
    String pool,
    Long userId,
    String sessionKey,
    long fromExitId,
    String fromExitName,
    long toExitId,
    String toExitName,
    String reason,
    Instant at) {}
