package io.sluice.exits.domain.selection;

/**
 * A live session left its exit because the exit was no longer eligible, and was given another.
 *
 * @param pool the pool whose session table holds the session
 * @param userId the proxy user's id, or null for an anonymous principal
 * @param sessionKey the session key from the username
 * @param fromExitId the exit the session had
 * @param toExitId the exit it has now
 * @param reason why it left: the old exit's state ({@code unhealthy}, {@code disabled}), {@value
 *     #REMOVED}, {@value #OTHER_COUNTRY} or {@value #EXCLUDED}
 * @param atMillis when (epoch milliseconds)
 */
public record SessionMove(
    String pool,
    Long userId,
    String sessionKey,
    long fromExitId,
    long toExitId,
    String reason,
    long atMillis) {

  /** The exit is no longer a member of the pool (or was deleted). */
  public static final String REMOVED = "removed";

  /** The request asked for a country the exit is not in. */
  public static final String OTHER_COUNTRY = "other-country";

  /** Connecting through the exit failed for this connection (retry with another exit). */
  public static final String EXCLUDED = "connect-failed";
}
