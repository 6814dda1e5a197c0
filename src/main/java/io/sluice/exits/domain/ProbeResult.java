package io.sluice.exits.domain;

/**
 * Outcome of one {@link ExitProber#probe}.
 *
 * @param reachable the TCP connection to the exit (for {@code direct}: to the echo host) was
 *     established
 * @param healthy reachable, the echo answered HTTP 200 and its body is a real IP echo
 * @param actualIp the address the echo service saw (canonical form), or {@code null} when the body
 *     was not an IP echo
 * @param latencyMillis from the start of the connect to the end of the response (on failure: to the
 *     failure)
 * @param httpStatus the echo response's status code, 0 when no echo response was read
 * @param error why the probe is not healthy, {@code null} when healthy; never contains the password
 *     or an Authorization value
 */
public record ProbeResult(
    boolean reachable,
    boolean healthy,
    String actualIp,
    long latencyMillis,
    int httpStatus,
    String error) {}
