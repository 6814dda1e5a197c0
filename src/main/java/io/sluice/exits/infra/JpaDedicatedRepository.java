package io.sluice.exits.infra;

import io.sluice.exits.domain.DedicatedAssignmentEntity;
import io.sluice.exits.domain.DedicatedReassignmentEntity;
import io.sluice.exits.domain.DedicatedRepository;
import io.sluice.exits.domain.selection.ExitState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link DedicatedRepository} on JPA. Every method runs in its own transaction so the allocator can
 * retry after losing a race: the database's primary key and unique port decide the winner.
 */
@ApplicationScoped
public class JpaDedicatedRepository implements DedicatedRepository {

  @PersistenceContext(unitName = "sluice")
  private EntityManager em;

  @Override
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<DedicatedAssignmentEntity> byUser(long userId) {
    return Optional.ofNullable(em.find(DedicatedAssignmentEntity.class, userId));
  }

  @Override
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<DedicatedAssignmentEntity> all() {
    return em.createQuery(
            "SELECT a FROM DedicatedAssignmentEntity a ORDER BY a.port",
            DedicatedAssignmentEntity.class)
        .getResultList();
  }

  @Override
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Set<Integer> usedPorts() {
    return new HashSet<>(
        em.createQuery("SELECT a.port FROM DedicatedAssignmentEntity a", Integer.class)
            .getResultList());
  }

  /** Inserts; fails (rolled back) if the user already has a port or the port is taken. */
  @Override
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public DedicatedAssignmentEntity insert(long userId, int port, Long exitId) {
    DedicatedAssignmentEntity a = new DedicatedAssignmentEntity();
    a.userId = userId;
    a.port = port;
    a.exitId = exitId;
    a.createdAt = Instant.now();
    em.persist(a);
    em.flush();
    return a;
  }

  @Override
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean delete(long userId) {
    DedicatedAssignmentEntity a = em.find(DedicatedAssignmentEntity.class, userId);
    if (a == null) {
      return false;
    }
    em.remove(a);
    return true;
  }

  /** The exit of the pool that currently carries the fewest dedicated assignments. */
  @Override
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<Long> leastAssignedExit(long poolId) {
    List<Long> ids =
        em.createQuery(
                "SELECT e.id FROM ExitPoolEntity p JOIN p.members e WHERE p.id = :pool AND e.enabled = TRUE "
                    + "AND e.state <> :unhealthy ORDER BY "
                    + "(SELECT COUNT(a) FROM DedicatedAssignmentEntity a WHERE a.exitId = e.id), e.id",
                Long.class)
            .setParameter("pool", poolId)
            .setParameter("unhealthy", ExitState.UNHEALTHY)
            .setMaxResults(1)
            .getResultList();
    return ids.stream().findFirst();
  }

  @Override
  @Transactional(Transactional.TxType.MANDATORY)
  public Optional<DedicatedAssignmentEntity> lockByUser(long userId) {
    return Optional.ofNullable(
        em.find(DedicatedAssignmentEntity.class, userId, LockModeType.PESSIMISTIC_WRITE));
  }

  @Override
  @Transactional(Transactional.TxType.MANDATORY)
  public void addReassignment(DedicatedReassignmentEntity move) {
    em.persist(move);
  }

  @Override
  @Transactional
  public List<DedicatedReassignmentEntity> history(long userId, int limit) {
    return em.createQuery(
            "SELECT r FROM DedicatedReassignmentEntity r WHERE r.userId = :user "
                + "ORDER BY r.at DESC, r.id DESC",
            DedicatedReassignmentEntity.class)
        .setParameter("user", userId)
        .setMaxResults(limit)
        .getResultList();
  }
}
