package io.sluice.vms.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The stored VM sessions (table {@code vm_session}). Callers own the transaction. */
public interface VmSessionRepository {

  /**
   * Session counts: {@code active} are open sessions of existing VMs; {@code completed} are ended
   * ones and those whose VM is gone.
   */
  record Counts(long active, long completed) {

    public long total() {
      return active + completed;
    }
  }

  /** Stores a new session and assigns its id. */
  VmSessionEntity insert(VmSessionEntity session);

  /** One session of one VM. */
  Optional<VmSessionEntity> byId(long vmId, long sessionId);

  /** The most recent sessions of a VM, newest first. */
  List<VmSessionEntity> recent(long vmId, int limit);

  /** Ends every open session of a VM at {@code at}; returns how many were open. */
  int endOpen(long vmId, Instant at);

  Counts counts();
}
