package io.sluice.vms.app;

import io.sluice.platform.problem.ApiException;
import io.sluice.vms.domain.Allocated;
import io.sluice.vms.domain.PoolUsage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The allocator's contract on a few fixed addresses per pool: the first pool of a family when none
 * is named, 404 for an unknown pool or a family without pools, 409 {@code pool-exhausted} when
 * empty; released addresses are recorded (and not handed out again, as quarantine would do).
 */
class FakeAddressPools extends AddressPoolService {

  /** One pool with the addresses it still has. */
  record Pool(
      long id, String name, int family, int prefixLength, String gateway, Deque<String> free) {}

  /** One release call. */
  record Release(long poolId, String address, long vmId) {}

  final List<Pool> pools = new ArrayList<>();
  final List<Release> released = new ArrayList<>();
  final List<PoolUsage> usage = new ArrayList<>();

  FakeAddressPools pool(
      long id, String name, int family, int prefixLength, String gateway, String... addresses) {
    pools.add(
        new Pool(id, name, family, prefixLength, gateway, new ArrayDeque<>(List.of(addresses))));
    return this;
  }

  @Override
  public Allocated allocate(String pool, int family, String specificAddress, long vmId) {
    Pool p =
        pools.stream()
            .filter(x -> x.family() == family && (pool == null || x.name().equals(pool)))
            .findFirst()
            .orElseThrow(() ->
                ApiException.notFound(
                    "address pool " + (pool == null ? "of family " + family : pool)));
    if (p.free().isEmpty()) {
      throw ApiException.poolExhausted("pool " + p.name() + " has no free address");
    }
    return new Allocated(p.id(), p.name(), family, p.free().poll(), p.prefixLength(), p.gateway());
  }

  @Override
  public void release(long poolId, String address, long vmId) {
    released.add(new Release(poolId, address, vmId));
  }

  /**
   * The configured usage; when none is configured, one line per pool (so that the pools' families
   * can be told).
   */
  @Override
  public List<PoolUsage> usage() {
    if (!usage.isEmpty()) {
      return usage;
    }
    return pools.stream()
        .map(p ->
            new PoolUsage(
                p.id(), p.name(), p.family(), null, 10, 0, 0, p.free().size(), List.of(), 0, 0))
        .toList();
  }
}
