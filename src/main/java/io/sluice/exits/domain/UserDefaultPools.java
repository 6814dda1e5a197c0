package io.sluice.exits.domain;

/**
 * Port: what the exits feature needs to know of a proxy user — the pool its sessions leave through
 * by default. Answered by the users feature (wired in the composition root), so the exits feature
 * does not depend on it.
 */
public interface UserDefaultPools {

  /**
   * The name of the user's default pool, {@code null} when it has none (sessions leave directly).
   * Fails with the users feature's not-found problem (HTTP 404) when there is no such user.
   */
  String defaultPoolOf(long userId);
}
