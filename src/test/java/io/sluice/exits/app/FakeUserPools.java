package io.sluice.exits.app;

import io.sluice.exits.domain.UserDefaultPools;
import io.sluice.platform.problem.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link UserDefaultPools} for unit tests: proxy users by id with a default pool name ({@code
 * null}: none) and allowed pool names; an unknown user is the users feature's 404.
 */
final class FakeUserPools implements UserDefaultPools {

  final Map<Long, String> defaults = new TreeMap<>();
  final Map<Long, Set<String>> allowed = new TreeMap<>();

  @Override
  public String defaultPoolOf(long userId) {
    if (!defaults.containsKey(userId)) {
      throw ApiException.notFound("proxy user " + userId);
    }
    return defaults.get(userId);
  }

  @Override
  public List<PoolUser> usersOfPool(long poolId, String poolName) {
    List<PoolUser> users = new ArrayList<>();
    for (Map.Entry<Long, String> u : defaults.entrySet()) {
      boolean isDefault = poolName.equals(u.getValue());
      if (isDefault || allowed.getOrDefault(u.getKey(), Set.of()).contains(poolName)) {
        users.add(new PoolUser(u.getKey(), "user" + u.getKey(), isDefault));
      }
    }
    return users;
  }
}
