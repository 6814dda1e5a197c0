package io.sluice.firewall.app;

import io.sluice.admin.app.PanelWhitelist;
import io.sluice.exits.app.DedicatedPortService;
import io.sluice.firewall.domain.FirewallModel;
import io.sluice.firewall.domain.PortForwardEntity;
import io.sluice.firewall.domain.PortForwardRepository;
import io.sluice.users.app.ProxyClientWhitelist;
import io.sluice.vms.app.AddressPoolService;
import io.sluice.vms.app.PoolView;
import io.sluice.vms.app.VmService;
import io.sluice.vms.domain.VmEntity;
import io.sluice.vms.domain.VmFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link FirewallModel} from the current state, read through the other features' {@code
 * app} services: active VMs, pool prefixes, port forwards, the proxy ports (shared and dedicated),
 * the proxy client whitelist, the panel whitelist and the admin ports.
 */
@ApplicationScoped
public class FirewallModels {

  private static final int PAGE = 500;
  private static final int MAX_PAGES = 10_000;

  @Inject FirewallSettings settings;
  @Inject VmService vms;
  @Inject AddressPoolService pools;
  @Inject PortForwardRepository forwards;
  @Inject DedicatedPortService dedicated;
  @Inject ProxyClientWhitelist proxyClients;
  @Inject PanelWhitelist panel;

  /** The active VMs. */
  @Transactional
  public List<FirewallModel.Vm> activeVms() {
    List<FirewallModel.Vm> vmList = new ArrayList<>();
    for (int page = 0; page < MAX_PAGES; page++) {
      var p = vms.list(new VmFilter(null, null, VmEntity.STATE_ACTIVE), page, PAGE);
      for (VmService.Vm v : p.items()) {
        vmList.add(new FirewallModel.Vm(v.id(), v.userId(), v.ipv4(), v.ipv6()));
      }
      if (p.items().size() < PAGE) {
        break;
      }
    }
    return vmList;
  }

  @Transactional
  public FirewallModel current() {
    List<FirewallModel.Vm> vmList = activeVms();
    Map<Long, FirewallModel.Vm> byId = new HashMap<>();
    vmList.forEach(v -> byId.put(v.id(), v));
    List<String> pool4 = new ArrayList<>();
    List<String> pool6 = new ArrayList<>();
    for (PoolView pool : pools.list()) {
      for (PoolView.PrefixView x : pool.prefixes()) {
        (pool.family() == 6 ? pool6 : pool4).add(x.cidr());
      }
    }
    List<FirewallModel.Forward> fwd = new ArrayList<>();
    for (PortForwardEntity f : forwards.all()) {
      FirewallModel.Vm vm = byId.get(f.vmId);
      if (vm != null) { // a stopped VM's forwards are not rendered
        fwd.add(new FirewallModel.Forward(f.protocol, f.publicPort, vm.ipv4(), f.vmPort));
      }
    }
    List<Integer> proxyPorts = new ArrayList<>();
    for (int p : List.of(settings.socksPort(), settings.httpProxyPort(), settings.mixedPort())) {
      if (p > 0) {
        proxyPorts.add(p);
      }
    }
    dedicated.all().forEach(a -> proxyPorts.add(a.port()));
    List<Integer> panelPorts = new ArrayList<>();
    for (int p : List.of(settings.httpPort(), settings.httpsPort())) {
      if (p > 0) {
        panelPorts.add(p);
      }
    }
    return new FirewallModel(
        settings.egressInterface(),
        settings.transparentPort(),
        vmList,
        pool4,
        pool6,
        fwd,
        proxyPorts,
        proxyClients.cidrs(),
        panelPorts,
        panel.disabledByEnvironment() ? List.of() : panel.cidrs(),
        controlPorts(settings.controlPorts()));
  }

  static FirewallModel.PortRange controlPorts(String s) {
    if (s.isBlank()) {
      return null;
    }
    String[] parts = s.split("-", 2);
    int first = Integer.parseInt(parts[0].trim());
    int last = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : first;
    return new FirewallModel.PortRange(first, last);
  }
}
