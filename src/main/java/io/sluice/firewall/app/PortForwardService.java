package io.sluice.firewall.app;

import io.sluice.firewall.domain.ForwardsChanged;
import io.sluice.firewall.domain.PortForwardEntity;
import io.sluice.firewall.domain.PortForwardRepository;
import io.sluice.platform.problem.ApiException;
import io.sluice.vms.app.VmService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;

/**
 * Port forwards: {@code protocol publicPort} on the gateway host to a port of one VM (DNAT in the
 * host firewall). One forward per public port and protocol; Sluice's own ports (proxy, admin,
 * transparent, Tor control range) cannot be forwarded. Forwards go with their VM.
 */
@ApplicationScoped
public class PortForwardService {

  private static final Logger LOG = System.getLogger(PortForwardService.class.getName());

  @Inject PortForwardRepository forwards;
  @Inject VmService vms;
  @Inject FirewallModels models;
  @Inject FirewallSettings settings;
  @Inject Event<ForwardsChanged> changed;

  /** A forward as the API shows it. */
  public record Forward(
      long id,
      long vmId,
      String protocol,
      int publicPort,
      String vmAddress,
      int vmPort,
      Instant createdAt) {}

  @Transactional
  public Forward add(long vmId, int publicPort, int vmPort, String protocol) {
    VmService.Vm vm = vms.get(vmId); // 404
    String proto = protocol == null ? "tcp" : protocol;
    List<ApiException.FieldError> errors = new java.util.ArrayList<>();
    if (!proto.equals("tcp") && !proto.equals("udp")) {
      errors.add(new ApiException.FieldError("protocol", "must be tcp or udp"));
    }
    if (publicPort < 1 || publicPort > 65535) {
      errors.add(new ApiException.FieldError("publicPort", "must be 1-65535"));
    }
    if (vmPort < 1 || vmPort > 65535) {
      errors.add(new ApiException.FieldError("vmPort", "must be 1-65535"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    if (ownPort(publicPort)) {
      throw ApiException.conflict(
          "public port " + publicPort + " is one of Sluice's own ports and cannot be forwarded");
    }
    forwards
        .byPublicPort(proto, publicPort)
        .ifPresent(f -> {
          throw ApiException.conflict(
              proto + " port " + publicPort + " is already forwarded to VM " + f.vmId);
        });
    PortForwardEntity e = new PortForwardEntity();
    e.id = forwards.nextId();
    e.vmId = vmId;
    e.protocol = proto;
    e.publicPort = publicPort;
    e.vmPort = vmPort;
    e.createdAt = Instant.now();
    forwards.insert(e);
    changed.fire(new ForwardsChanged(vmId));
    LOG.log(
        Level.INFO,
        "SLUICE0910I: port forward {0} {1} -> VM {2} {3}:{4}",
        proto,
        String.valueOf(publicPort),
        vmId,
        vm.ipv4(),
        String.valueOf(vmPort));
    return view(e, vm.ipv4());
  }

  @Transactional
  public List<Forward> list(long vmId) {
    VmService.Vm vm = vms.get(vmId);
    return forwards.byVm(vmId).stream().map(f -> view(f, vm.ipv4())).toList();
  }

  @Transactional
  public void delete(long vmId, long id) {
    PortForwardEntity e =
        forwards
            .byId(id)
            .filter(f -> f.vmId == vmId)
            .orElseThrow(() -> ApiException.notFound("port forward " + id + " of VM " + vmId));
    forwards.delete(e);
    changed.fire(new ForwardsChanged(vmId));
    LOG.log(Level.INFO, "SLUICE0911I: port forward {0} of VM {1} removed", id, vmId);
  }

  private boolean ownPort(int port) {
    var m = models.current();
    if (m.proxyPorts().contains(port) || m.panelPorts().contains(port)) {
      return true;
    }
    if (port == settings.transparentPort()) {
      return true;
    }
    return m.controlPorts() != null
        && port >= m.controlPorts().first()
        && port <= m.controlPorts().last();
  }

  private static Forward view(PortForwardEntity e, String address) {
    return new Forward(e.id, e.vmId, e.protocol, e.publicPort, address, e.vmPort, e.createdAt);
  }
}
