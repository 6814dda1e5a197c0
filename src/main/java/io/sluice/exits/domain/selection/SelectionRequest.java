package io.sluice.exits.domain.selection;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One connection's request for an exit.
 *
 * @param userId the proxy user's id, or {@code null} for an anonymous principal
 * @param sessionKey sticky-session key from the username ({@code session-KEY}), or {@code null}
 * @param sessionTtl sliding lifetime of a session; {@code null} means {@link #DEFAULT_SESSION_TTL}.
 *     Only used with a session key (in every strategy).
 * @param country requested exit country (ISO alpha-2, normalised to lower case), or {@code null}
 *     for any
 * @param destinationHost the destination as the client named it (domain or IP literal)
 * @param destinationPort 0-65535
 * @param excludedExitIds exits that already failed for this connection (retry budget); never
 *     chosen; {@code null} means none
 */
public record SelectionRequest(
    Long userId,
    String sessionKey,
    Duration sessionTtl,
    String country,
    String destinationHost,
    int destinationPort,
    Set<Long> excludedExitIds) {

  /** Lifetime of a sticky session whose username gave a session key but no {@code ttl}. */
  public static final Duration DEFAULT_SESSION_TTL = Duration.ofMinutes(30);

  public SelectionRequest {
    if (sessionKey != null && sessionKey.isEmpty()) {
      sessionKey = null;
    }
    sessionTtl = sessionTtl == null ? DEFAULT_SESSION_TTL : sessionTtl;
    if (sessionTtl.isNegative() || sessionTtl.isZero()) {
      throw new IllegalArgumentException("sessionTtl must be positive: " + sessionTtl);
    }
    country = ExitView.normaliseCountry(country);
    Objects.requireNonNull(destinationHost, "destinationHost");
    if (destinationPort < 0 || destinationPort > 65535) {
      throw new IllegalArgumentException("destinationPort out of range: " + destinationPort);
    }
    excludedExitIds = excludedExitIds == null ? Set.of() : Set.copyOf(excludedExitIds);
  }

  /** A request without session, country or exclusions. */
  public static SelectionRequest of(Long userId, String destinationHost, int destinationPort) {
    return new SelectionRequest(
        userId, null, null, null, destinationHost, destinationPort, Set.of());
  }

  /** This request with one more excluded exit (after connecting through it failed). */
  public SelectionRequest excluding(long exitId) {
    if (excludedExitIds.contains(exitId)) {
      return this;
    }
    Set<Long> more = new HashSet<>(excludedExitIds);
    more.add(exitId);
    return new SelectionRequest(
        userId, sessionKey, sessionTtl, country, destinationHost, destinationPort, more);
  }
}
