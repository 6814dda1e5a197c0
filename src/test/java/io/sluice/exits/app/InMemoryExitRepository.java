package io.sluice.exits.app;

import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitPoolEntity;
import io.sluice.exits.domain.ExitRepository;
import io.sluice.exits.domain.ProviderEntity;
import io.sluice.exits.domain.selection.ExitState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@link ExitRepository} in memory for unit tests. Entities are kept by reference (like a
 * persistence context), ids come from one sequence, and the database's unique names are enforced by
 * failing the insert, so a service that forgets its own duplicate check fails its test.
 */
final class InMemoryExitRepository implements ExitRepository {

  final Map<Long, ExitNodeEntity> exits = new TreeMap<>();
  final Map<Long, ExitPoolEntity> pools = new TreeMap<>();
  final Map<Long, ProviderEntity> providers = new TreeMap<>();
  private long nextId = 1;

  /** Consulted by {@link #assigned}; {@code null}: nothing is assigned. */
  InMemoryDedicatedRepository dedicated;

  @Override
  public Optional<ExitNodeEntity> exit(long id) {
    return Optional.ofNullable(exits.get(id));
  }

  @Override
  public Optional<ExitNodeEntity> exitByName(String name) {
    return exits.values().stream().filter(e -> Objects.equals(e.name, name)).findFirst();
  }

  @Override
  public List<ExitNodeEntity> exits(
      String pool, ExitState state, String country, Long provider, int page, int size) {
    return filtered(pool, state, country, provider).skip((long) page * size).limit(size).toList();
  }

  @Override
  public long countExits(String pool, ExitState state, String country, Long provider) {
    return filtered(pool, state, country, provider).count();
  }

  private Stream<ExitNodeEntity> filtered(
      String pool, ExitState state, String country, Long provider) {
    Predicate<ExitNodeEntity> inPool =
        e ->
            pool == null
                || pools.values().stream()
                    .anyMatch(p -> p.name.equals(pool) && p.members.contains(e));
    return exits.values().stream()
        .filter(inPool)
        .filter(e -> state == null || state == e.state)
        .filter(e -> country == null || country.equals(e.country))
        .filter(e -> provider == null || provider.equals(e.providerId));
  }

  @Override
  public List<ExitNodeEntity> allExits() {
    return new ArrayList<>(exits.values());
  }

  @Override
  public List<ExitNodeEntity> exitsOfProvider(long providerId) {
    return exits.values().stream()
        .filter(e -> Objects.equals(e.providerId, providerId))
        .sorted(Comparator.comparing(e -> e.port))
        .toList();
  }

  @Override
  public boolean assigned(long exitId) {
    return dedicated != null
        && dedicated.rows.values().stream().anyMatch(a -> Objects.equals(a.exitId, exitId));
  }

  @Override
  public Optional<ProviderEntity> provider(long id) {
    return Optional.ofNullable(providers.get(id));
  }

  @Override
  public Optional<ProviderEntity> providerByName(String name) {
    return providers.values().stream().filter(p -> Objects.equals(p.name, name)).findFirst();
  }

  @Override
  public List<ProviderEntity> providers() {
    return new ArrayList<>(providers.values());
  }

  @Override
  public Optional<ExitPoolEntity> pool(long id) {
    return Optional.ofNullable(pools.get(id));
  }

  @Override
  public Optional<ExitPoolEntity> poolByName(String name) {
    return pools.values().stream().filter(p -> Objects.equals(p.name, name)).findFirst();
  }

  @Override
  public List<ExitPoolEntity> pools() {
    return new ArrayList<>(pools.values());
  }

  @Override
  public List<ExitPoolEntity> poolsContaining(ExitNodeEntity exit) {
    return pools.values().stream().filter(p -> p.members.contains(exit)).toList();
  }

  @Override
  public ExitNodeEntity insert(ExitNodeEntity exit) {
    unique(exitByName(exit.name).isPresent(), "exit_node_name_uq");
    exit.id = nextId++;
    exits.put(exit.id, exit);
    return exit;
  }

  @Override
  public ExitPoolEntity insert(ExitPoolEntity pool) {
    unique(poolByName(pool.name).isPresent(), "exit_pool_name_uq");
    pool.id = nextId++;
    pools.put(pool.id, pool);
    return pool;
  }

  @Override
  public ProviderEntity insert(ProviderEntity provider) {
    unique(providerByName(provider.name).isPresent(), "provider_name_uq");
    provider.id = nextId++;
    providers.put(provider.id, provider);
    return provider;
  }

  @Override
  public void delete(ExitNodeEntity exit) {
    exits.remove(exit.id);
  }

  @Override
  public void delete(ExitPoolEntity pool) {
    pools.remove(pool.id);
  }

  @Override
  public void delete(ProviderEntity provider) {
    providers.remove(provider.id);
  }

  private static void unique(boolean violated, String constraint) {
    if (violated) {
      throw new IllegalStateException("unique constraint " + constraint + " violated");
    }
  }
}
