package io.sluice.gateway;

import io.sluice.exits.domain.UserDefaultPools;
import io.sluice.users.app.ProxyUserService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Answers the exits feature's {@link UserDefaultPools} port from the users feature, so that neither
 * feature depends on the other's internals for a user's default pool or a pool's users.
 */
@ApplicationScoped
public class UserDefaultPoolsAdapter implements UserDefaultPools {

  @Inject ProxyUserService users;

  @Override
  public String defaultPoolOf(long userId) {
    return users.get(userId).defaultPool(); // 404 "proxy user <id>" when there is no such user
  }

  @Override
  public List<PoolUser> usersOfPool(long poolId, String poolName) {
    return users.usersOfPool(poolId, poolName).stream()
        .map(u -> new PoolUser(u.id(), u.username(), u.defaultPool()))
        .toList();
  }
}
