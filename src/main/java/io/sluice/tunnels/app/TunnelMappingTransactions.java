package io.sluice.tunnels.app;

import io.sluice.tunnels.domain.TunnelMapping;
import io.sluice.tunnels.domain.TunnelMappingRepository;
import io.sluice.tunnels.domain.TunnelStatsDelta;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The steps of {@link TunnelMappingService} that must commit (or fail) on their own, each in a new
 * transaction: one attempt to take a public port, the read of the ports in use, and a flush of
 * statistics. A separate bean so the transaction interceptor applies to every call.
 */
@ApplicationScoped
public class TunnelMappingTransactions {

  @Inject TunnelMappingRepository repository;

  /**
   * Takes the next mapping id, stores the mapping {@code withId} builds for it and returns it as
   * stored; a public port taken meanwhile fails with a runtime exception (unique constraint) and
   * nothing is stored.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public TunnelMapping insert(LongFunction<TunnelMapping> withId) {
    long id = repository.nextId();
    repository.insert(withId.apply(id));
    return repository.byId(id).orElseThrow();
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Set<Integer> usedPorts() {
    return repository.publicPorts();
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void writeStats(Map<Long, TunnelStatsDelta> deltas) {
    repository.addStats(deltas);
  }
}
