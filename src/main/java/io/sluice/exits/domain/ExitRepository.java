package io.sluice.exits.domain;

import io.sluice.exits.domain.selection.ExitState;
import java.util.List;
import java.util.Optional;

/**
 * Exits, pools and providers as stored. Callers own the transaction; entities returned are managed,
 * so changes to their fields are saved when the caller's transaction commits.
 */
public interface ExitRepository {

  Optional<ExitNodeEntity> exit(long id);

  Optional<ExitNodeEntity> exitByName(String name);

  /**
   * Exits filtered by pool name, state, country and provider (each optional, {@code null}: any),
   * page {@code page} of {@code size}, ordered by id.
   */
  List<ExitNodeEntity> exits(
      String pool, ExitState state, String country, Long provider, int page, int size);

  /** How many exits {@link #exits} would list over all pages. */
  long countExits(String pool, ExitState state, String country, Long provider);

  /** Every exit, ordered by id. */
  List<ExitNodeEntity> allExits();

  /** The exits of one provider, ordered by port. */
  List<ExitNodeEntity> exitsOfProvider(long providerId);

  /** Whether a dedicated-port assignment points at this exit. */
  boolean assigned(long exitId);

  Optional<ProviderEntity> provider(long id);

  Optional<ProviderEntity> providerByName(String name);

  /** Every provider, ordered by id. */
  List<ProviderEntity> providers();

  Optional<ExitPoolEntity> pool(long id);

  Optional<ExitPoolEntity> poolByName(String name);

  /** Every pool, ordered by id. */
  List<ExitPoolEntity> pools();

  /** The pools that have {@code exit} as a member. */
  List<ExitPoolEntity> poolsContaining(ExitNodeEntity exit);

  /** Stores a new exit and assigns its id. */
  ExitNodeEntity insert(ExitNodeEntity exit);

  /** Stores a new pool and assigns its id. */
  ExitPoolEntity insert(ExitPoolEntity pool);

  /** Stores a new provider and assigns its id. */
  ProviderEntity insert(ProviderEntity provider);

  /** Removes an exit (callers first take it out of its pools). */
  void delete(ExitNodeEntity exit);

  /** Removes a pool (callers first clear other pools' fallbacks to it). */
  void delete(ExitPoolEntity pool);

  /** Removes a provider (callers first remove its exits). */
  void delete(ProviderEntity provider);
}
