package io.sluice.firewall.domain;

import java.util.List;
import java.util.Optional;

/** The stored port forwards. Callers own the transaction. */
public interface PortForwardRepository {

  /** The next id from {@code vm_port_forward_seq}. */
  long nextId();

  /** Stores a new forward; a taken protocol and public port fails at the latest on flush. */
  void insert(PortForwardEntity forward);

  Optional<PortForwardEntity> byId(long id);

  /** The forward of a public port, if any. */
  Optional<PortForwardEntity> byPublicPort(String protocol, int publicPort);

  /** One VM's forwards, by id. */
  List<PortForwardEntity> byVm(long vmId);

  /** Every forward, by id. */
  List<PortForwardEntity> all();

  void delete(PortForwardEntity forward);
}
