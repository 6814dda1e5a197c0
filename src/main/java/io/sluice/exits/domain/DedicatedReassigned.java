package io.sluice.exits.domain;

/**
 * Fired after a dedicated port moved to another exit (committed): automatically because its exit
 * turned unhealthy or was deleted, or by the operator.
 *
 * @param fromExitId the exit before ({@code null}: none)
 * @param toExitId the exit after
 * @param fromIp the external IP before, as the last check saw it ({@code null}: unknown)
 * @param toIp the external IP after ({@code null}: unknown)
 */
public record DedicatedReassigned(
    long userId,
    int port,
    Long fromExitId,
    Long toExitId,
    String fromIp,
    String toIp,
    String reason) {}
