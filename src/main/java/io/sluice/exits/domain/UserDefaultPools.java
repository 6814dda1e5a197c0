package io.sluice.exits.domain;

import java.util.List;

/**
 * Port: what the exits feature needs to know of proxy users — the pool a user's sessions leave
 * through by default, and which users use a pool. Answered by the users feature (wired in the
 * composition root), so the exits feature does not depend on it.
 */
public interface UserDefaultPools {

  /**
   * The name of the user's default pool, {@code null} when it has none (sessions leave directly).
   * Fails with the users feature's not-found problem (HTTP 404) when there is no such user.
   */
  String defaultPoolOf(long userId);

  /**
   * The users that use the pool as their default pool or name it among their allowed pools, ordered
   * by id.
   */
  List<PoolUser> usersOfPool(long poolId, String poolName);

  /** A user of a pool; {@code defaultPool}: it is the user's default pool (else: allowed). */
  record PoolUser(long id, String username, boolean defaultPool) {}
}
