package io.sluice.gateway;

import io.sluice.exits.domain.UserDefaultPools;
import io.sluice.users.app.ProxyUserService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Answers the exits feature's {@link UserDefaultPools} port from the users feature, so that neither
 * feature depends on the other's internals for a user's default pool.
 */
@ApplicationScoped
public class UserDefaultPoolsAdapter implements UserDefaultPools {

  @Inject ProxyUserService users;

  @Override
  public String defaultPoolOf(long userId) {
    return users.get(userId).defaultPool(); // 404 "proxy user <id>" when there is no such user
  }
}
