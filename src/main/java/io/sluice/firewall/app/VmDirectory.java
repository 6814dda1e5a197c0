package io.sluice.firewall.app;

import io.sluice.firewall.domain.FirewallModel;
import io.sluice.users.app.ProxyUserService;
import io.sluice.vms.domain.VmChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which proxy user a connection from a VM address belongs to, for the transparent listener: the
 * active VMs by IPv4 and IPv6 address, loaded at most every 5 seconds and at once after a VM
 * changed. Blocking (a database read on a miss of the snapshot's age): call it off the event loop.
 */
@ApplicationScoped
public class VmDirectory {

  private static final long MAX_AGE_NANOS = 5_000_000_000L;

  @Inject FirewallModels models;
  @Inject ProxyUserService users;

  private record Snapshot(
      Map<String, FirewallModel.Vm> owners, Map<Long, String> usernames, long loadedAt) {}

  private volatile Snapshot snapshot;

  /** The owner of an active VM: its user id and username. */
  public record Owner(long vmId, long userId, String username) {}

  /** The owner of the active VM with this address (an IP literal), if any. */
  @Transactional
  public Optional<Owner> byAddress(String address) {
    String key;
    try {
      key = FirewallModel.canonicalLiteral(address);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    Snapshot s = snapshot;
    if (s == null || System.nanoTime() - s.loadedAt() > MAX_AGE_NANOS) {
      s = load();
    }
    FirewallModel.Vm vm = s.owners().get(key);
    if (vm == null) {
      return Optional.empty();
    }
    String username = s.usernames().computeIfAbsent(vm.userId(), id -> users.get(id).username());
    return Optional.of(new Owner(vm.id(), vm.userId(), username));
  }

  void vmChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) VmChanged changed) {
    snapshot = null;
  }

  private Snapshot load() {
    Map<String, FirewallModel.Vm> owners = new HashMap<>();
    for (FirewallModel.Vm v : models.activeVms()) {
      owners.put(v.ipv4(), v);
      if (v.ipv6() != null) {
        owners.put(v.ipv6(), v);
      }
    }
    Snapshot s =
        new Snapshot(
            Map.copyOf(owners), new java.util.concurrent.ConcurrentHashMap<>(), System.nanoTime());
    snapshot = s;
    return s;
  }
}
