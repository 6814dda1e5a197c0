package io.sluice.vms.app;

import io.sluice.vms.domain.Allocated;
import io.sluice.vms.domain.PoolUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Placeholder for the address allocator (owned by another branch of issue 14): exactly the
 * contract's methods, none implemented yet. The merge replaces this file.
 */
@ApplicationScoped
public class AddressPoolService {

  /**
   * Allocates one address. {@code pool} null: the first pool of that family (lowest id); {@code
   * specificAddress} null: any free one. 404 unknown pool, 409 {@code pool-exhausted} when full,
   * 409 conflict when the specific address is taken, reserved or outside the pool.
   */
  @Transactional
  public Allocated allocate(String pool, int family, String specificAddress, long vmId) {
    throw new UnsupportedOperationException("allocator not merged yet");
  }

  /** Releases an address of a VM into quarantine. */
  @Transactional
  public void release(long poolId, String address, long vmId) {
    throw new UnsupportedOperationException("allocator not merged yet");
  }

  /** Usage of every pool, for stats and metrics. */
  @Transactional
  public List<PoolUsage> usage() {
    throw new UnsupportedOperationException("allocator not merged yet");
  }
}
