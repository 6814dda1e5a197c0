package io.sluice.vms.app;

import io.sluice.vms.domain.VmEntity;
import io.sluice.vms.domain.VmFilter;
import io.sluice.vms.domain.VmRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link VmRepository} in a map. Like the database it refuses a second VM on one address of a pool;
 * entities handed out are the stored ones, as managed entities would be.
 */
final class InMemoryVmRepository implements VmRepository {

  final Map<Long, VmEntity> rows = new TreeMap<>();
  private long nextId = 1;

  @Override
  public long nextId() {
    return nextId++;
  }

  @Override
  public VmEntity insert(VmEntity vm) {
    for (VmEntity other : rows.values()) {
      if (other.ipv4PoolId == vm.ipv4PoolId && other.ipv4Address.equals(vm.ipv4Address)) {
        throw new IllegalStateException("vm_ipv4_uq");
      }
    }
    rows.put(vm.id, vm);
    return vm;
  }

  @Override
  public Optional<VmEntity> byId(long id) {
    return Optional.ofNullable(rows.get(id));
  }

  @Override
  public Optional<VmEntity> lock(long id) {
    return byId(id);
  }

  @Override
  public List<VmEntity> page(VmFilter filter, int page, int size) {
    return matching(filter).stream().skip((long) page * size).limit(size).toList();
  }

  @Override
  public long count(VmFilter filter) {
    return matching(filter).size();
  }

  @Override
  public List<Count> counts() {
    Map<String, Long> byKey = new TreeMap<>();
    rows.values().forEach(v -> byKey.merge(v.vmType + "/" + v.state, 1L, Long::sum));
    List<Count> out = new ArrayList<>();
    byKey.forEach((k, n) -> out.add(new Count(k.split("/")[0], k.split("/")[1], n)));
    return out;
  }

  @Override
  public long countWithIpv6() {
    return rows.values().stream().filter(v -> v.ipv6Address != null).count();
  }

  @Override
  public void delete(VmEntity vm) {
    rows.remove(vm.id);
  }

  private List<VmEntity> matching(VmFilter f) {
    return rows.values().stream()
        .filter(v -> f.userId() == null || v.userId == f.userId())
        .filter(v -> f.type() == null || v.vmType.equals(f.type()))
        .filter(v -> f.state() == null || v.state.equals(f.state()))
        .toList();
  }
}
