package io.sluice.vms.domain;

import java.util.List;
import java.util.Optional;

/**
 * The stored VMs (table {@code vm}). Callers own the transaction; entities handed out are managed,
 * so changes made to them inside the caller's transaction are saved.
 */
public interface VmRepository {

  /** How many VMs have one type and state. */
  record Count(String type, String state, long count) {}

  /** The next VM id from {@code vm_seq}, taken before the VM is stored. */
  long nextId();

  /** Stores a new VM whose id was taken with {@link #nextId()}. */
  VmEntity insert(VmEntity vm);

  Optional<VmEntity> byId(long id);

  /** The VM locked for update until the transaction ends (state changes, sessions, deletion). */
  Optional<VmEntity> lock(long id);

  /** A page ordered by id. */
  List<VmEntity> page(VmFilter filter, int page, int size);

  /** How many VMs {@link #page} would page through. */
  long count(VmFilter filter);

  /** VM counts grouped by type and state (combinations without VMs are left out). */
  List<Count> counts();

  /** How many VMs have a dedicated IPv6 address. */
  long countWithIpv6();

  void delete(VmEntity vm);
}
