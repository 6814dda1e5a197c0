package io.sluice.vms.infra;

import io.sluice.vms.domain.VmSessionEntity;
import io.sluice.vms.domain.VmSessionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link VmSessionRepository} on JPA. Callers own the transaction. */
@ApplicationScoped
public class JpaVmSessionRepository implements VmSessionRepository {

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Override
  public VmSessionEntity insert(VmSessionEntity session) {
    em.persist(session);
    em.flush();
    return session;
  }

  @Override
  public Optional<VmSessionEntity> byId(long vmId, long sessionId) {
    VmSessionEntity s = em.find(VmSessionEntity.class, sessionId);
    return s != null && s.vmId != null && s.vmId == vmId ? Optional.of(s) : Optional.empty();
  }

  @Override
  public List<VmSessionEntity> recent(long vmId, int limit) {
    return em.createQuery(
            "SELECT s FROM VmSessionEntity s WHERE s.vmId = :vm ORDER BY s.id DESC",
            VmSessionEntity.class)
        .setParameter("vm", vmId)
        .setMaxResults(limit)
        .getResultList();
  }

  @Override
  public int endOpen(long vmId, Instant at) {
    List<VmSessionEntity> open =
        em.createQuery(
                "SELECT s FROM VmSessionEntity s WHERE s.vmId = :vm AND s.endedAt IS NULL",
                VmSessionEntity.class)
            .setParameter("vm", vmId)
            .getResultList();
    for (VmSessionEntity s : open) {
      s.endedAt = at.isBefore(s.startedAt) ? s.startedAt : at;
    }
    em.flush();
    return open.size();
  }

  @Override
  public Counts counts() {
    long total =
        em.createQuery("SELECT COUNT(s) FROM VmSessionEntity s", Long.class).getSingleResult();
    long active =
        em.createQuery(
                "SELECT COUNT(s) FROM VmSessionEntity s WHERE s.endedAt IS NULL AND s.vmId IS NOT NULL",
                Long.class)
            .getSingleResult();
    return new Counts(active, total - active);
  }
}
