package io.sluice.users.app;

import io.sluice.users.domain.ProxyUserEntity;
import io.sluice.users.domain.ProxyUserRepository;
import java.lang.reflect.Field;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link ProxyUserRepository} in a map. Like the database it assigns ids on insert and rejects a
 * second user with the same name; entities handed out are the stored ones, as managed entities
 * would be.
 */
final class InMemoryProxyUserRepository implements ProxyUserRepository {

  final Map<Long, ProxyUserEntity> rows = new TreeMap<>();
  private long nextId = 1;

  @Override
  public Optional<ProxyUserEntity> byId(long id) {
    return Optional.ofNullable(rows.get(id));
  }

  @Override
  public Optional<ProxyUserEntity> byUsername(String username) {
    return rows.values().stream().filter(u -> u.getUsername().equals(username)).findFirst();
  }

  @Override
  public List<ProxyUserEntity> page(String usernameFilter, int page, int size) {
    return matching(usernameFilter).stream().skip((long) page * size).limit(size).toList();
  }

  @Override
  public long count(String usernameFilter) {
    return matching(usernameFilter).size();
  }

  @Override
  public List<ProxyUserEntity> withSourceWhitelist() {
    return rows.values().stream().filter(u -> u.getAllowedSources() != null).toList();
  }

  @Override
  public List<ProxyUserEntity> usingPool(long poolId, String poolName) {
    return rows.values().stream()
        .filter(u ->
            Long.valueOf(poolId).equals(u.getDefaultPoolId())
                || (u.getAllowedPools() != null && u.getAllowedPools().contains(poolName)))
        .toList();
  }

  @Override
  public List<ProxyUserEntity> enabled() {
    return rows.values().stream().filter(ProxyUserEntity::isEnabled).toList();
  }

  @Override
  public ProxyUserEntity insert(ProxyUserEntity user) {
    if (byUsername(user.getUsername()).isPresent()) {
      throw new IllegalStateException("unique constraint: username " + user.getUsername());
    }
    setId(user, nextId++);
    rows.put(user.getId(), user);
    return user;
  }

  @Override
  public void delete(ProxyUserEntity user) {
    rows.remove(user.getId());
  }

  private List<ProxyUserEntity> matching(String filter) {
    return rows.values().stream()
        .filter(u ->
            filter == null
                || u.getUsername()
                    .toLowerCase(Locale.ROOT)
                    .contains(filter.toLowerCase(Locale.ROOT)))
        .sorted(Comparator.comparing(ProxyUserEntity::getId))
        .toList();
  }

  private static void setId(ProxyUserEntity user, long id) {
    try {
      Field f = ProxyUserEntity.class.getDeclaredField("id");
      f.setAccessible(true);
      f.set(user, id);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
