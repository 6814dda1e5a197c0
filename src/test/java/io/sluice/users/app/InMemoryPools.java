package io.sluice.users.app;

import io.sluice.exits.app.PoolService;
import io.sluice.platform.problem.ApiException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The two {@link PoolService} answers users need, from a fixed map of pool ids to names. */
final class InMemoryPools extends PoolService {

  final Map<Long, String> names = new TreeMap<>();

  InMemoryPools with(long id, String name) {
    names.put(id, name);
    return this;
  }

  @Override
  public Long idOf(String field, String name) {
    if (name == null) {
      return null;
    }
    return names.entrySet().stream()
        .filter(e -> e.getValue().equals(name))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> ApiException.validation(field, "no pool named '" + name + "'"));
  }

  @Override
  public Optional<String> nameOf(long id) {
    return Optional.ofNullable(names.get(id));
  }

  @Override
  public boolean exists(String name) {
    return names.containsValue(name);
  }
}
