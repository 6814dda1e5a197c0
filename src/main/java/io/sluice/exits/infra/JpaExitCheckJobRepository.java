package io.sluice.exits.infra;

import io.sluice.exits.domain.ExitCheckJobEntity;
import io.sluice.exits.domain.ExitCheckJobRepository;
import io.sluice.exits.domain.ExitCheckJobResultEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ExitCheckJobRepository} on JPA. Callers own the transaction. */
@ApplicationScoped
public class JpaExitCheckJobRepository implements ExitCheckJobRepository {

  @PersistenceContext(unitName = "sluice")
  private EntityManager em;

  @Override
  public ExitCheckJobEntity insert(ExitCheckJobEntity job) {
    em.persist(job);
    em.flush();
    return job;
  }

  @Override
  public Optional<ExitCheckJobEntity> find(long id) {
    return Optional.ofNullable(em.find(ExitCheckJobEntity.class, id));
  }

  @Override
  public List<ExitCheckJobEntity> newest(int limit) {
    return em.createQuery(
            "SELECT j FROM ExitCheckJobEntity j ORDER BY j.startedAt DESC, j.id DESC",
            ExitCheckJobEntity.class)
        .setMaxResults(limit)
        .getResultList();
  }

  @Override
  public void addResult(ExitCheckJobResultEntity result) {
    em.persist(result);
  }

  @Override
  public List<ExitCheckJobResultEntity> results(long jobId) {
    return em.createQuery(
            "SELECT r FROM ExitCheckJobResultEntity r WHERE r.jobId = :j ORDER BY r.id",
            ExitCheckJobResultEntity.class)
        .setParameter("j", jobId)
        .getResultList();
  }

  @Override
  public int prune(int keep, Instant before) {
    // the table holds about `keep` rows, so they are compared here (no Instant parameter in JPQL)
    List<ExitCheckJobEntity> all = newest(Integer.MAX_VALUE);
    List<Long> old = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (i >= keep || all.get(i).startedAt.isBefore(before)) {
        old.add(all.get(i).id);
      }
    }
    if (old.isEmpty()) {
      return 0;
    }
    // results first: the foreign key cascades in the database, but be explicit for JPQL bulk
    // deletes
    em.createQuery("DELETE FROM ExitCheckJobResultEntity r WHERE r.jobId IN :ids")
        .setParameter("ids", old)
        .executeUpdate();
    return em.createQuery("DELETE FROM ExitCheckJobEntity j WHERE j.id IN :ids")
        .setParameter("ids", old)
        .executeUpdate();
  }
}
