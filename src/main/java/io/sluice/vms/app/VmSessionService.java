package io.sluice.vms.app;

import io.sluice.platform.problem.ApiException;
import io.sluice.vms.domain.VmEntity;
import io.sluice.vms.domain.VmRepository;
import io.sluice.vms.domain.VmSessionEntity;
import io.sluice.vms.domain.VmSessionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Sessions on a VM: started on an active VM, ended once. Each call locks the VM row, so a session
 * cannot start on a VM that is being stopped or deleted, and a session ends exactly once.
 */
@ApplicationScoped
public class VmSessionService {

  /** How many sessions {@link #recent} returns at most. */
  static final int RECENT = 100;

  @Inject VmRepository vms;
  @Inject VmSessionRepository sessions;

  /** A session as the API shows it; {@code state} is {@code active} or {@code completed}. */
  public record Session(long id, long vmId, String state, Instant startedAt, Instant endedAt) {}

  @Transactional
  public Session start(long vmId) {
    VmEntity vm = lockedVm(vmId);
    if (!vm.state.equals(VmEntity.STATE_ACTIVE)) {
      throw ApiException.conflict("VM " + vmId + " is stopped; start it before a session");
    }
    VmSessionEntity s = new VmSessionEntity();
    s.vmId = vmId;
    s.startedAt = Instant.now();
    return view(sessions.insert(s));
  }

  @Transactional
  public Session end(long vmId, long sessionId) {
    lockedVm(vmId);
    VmSessionEntity s =
        sessions
            .byId(vmId, sessionId)
            .orElseThrow(() -> ApiException.notFound("session " + sessionId + " of VM " + vmId));
    if (s.endedAt != null) {
      throw ApiException.conflict("session " + sessionId + " has already ended");
    }
    Instant now = Instant.now();
    s.endedAt = now.isBefore(s.startedAt) ? s.startedAt : now;
    return view(s);
  }

  /** The VM's most recent sessions, newest first (at most 100). */
  @Transactional
  public List<Session> recent(long vmId) {
    vms.byId(vmId).orElseThrow(() -> ApiException.notFound("VM " + vmId));
    return sessions.recent(vmId, RECENT).stream().map(VmSessionService::view).toList();
  }

  private VmEntity lockedVm(long vmId) {
    return vms.lock(vmId).orElseThrow(() -> ApiException.notFound("VM " + vmId));
  }

  static Session view(VmSessionEntity s) {
    return new Session(
        s.id,
        s.vmId == null ? 0 : s.vmId,
        s.endedAt == null ? "active" : "completed",
        s.startedAt,
        s.endedAt);
  }
}
