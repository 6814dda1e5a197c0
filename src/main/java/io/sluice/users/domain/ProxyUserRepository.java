package io.sluice.users.domain;

import java.util.List;
import java.util.Optional;

/**
 * The stored proxy users (table {@code proxy_user}). Callers own the transaction; entities handed
 * out are managed, so changes made to them inside the caller's transaction are saved.
 */
public interface ProxyUserRepository {

  Optional<ProxyUserEntity> byId(long id);

  Optional<ProxyUserEntity> byUsername(String username);

  /**
   * A page ordered by id; {@code usernameFilter} ({@code null}: all) matches a case-insensitive
   * substring.
   */
  List<ProxyUserEntity> page(String usernameFilter, int page, int size);

  /** How many users {@link #page} would page through. */
  long count(String usernameFilter);

  /** Users with a source whitelist, ordered by id. */
  List<ProxyUserEntity> withSourceWhitelist();

  /** Enabled users (expired ones included), ordered by id. */
  List<ProxyUserEntity> enabled();

  /** Enabled users that have not expired at {@code now}. */
  default long countUsable(java.time.Instant now) {
    return enabled().stream()
        .filter(u -> u.getExpiresAt() == null || u.getExpiresAt().isAfter(now))
        .count();
  }

  /**
   * Users whose default pool is {@code poolId} or whose allowed pools may name {@code poolName} (a
   * superset: the caller checks the comma-separated list exactly), ordered by id.
   */
  List<ProxyUserEntity> usingPool(long poolId, String poolName);

  /** Stores a new user and assigns its id. */
  ProxyUserEntity insert(ProxyUserEntity user);

  void delete(ProxyUserEntity user);
}
