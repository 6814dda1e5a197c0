package io.sluice.exits.infra;

import io.sluice.exits.domain.ExitCheckEntity;
import io.sluice.exits.domain.ExitCheckRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;

/** {@link ExitCheckRepository} on JPA. Callers own the transaction. */
@ApplicationScoped
public class JpaExitCheckRepository implements ExitCheckRepository {

  @PersistenceContext(unitName = "sluice")
  private EntityManager em;

  @Override
  public void add(ExitCheckEntity check, int keep) {
    em.persist(check);
    List<Long> old =
        em.createQuery(
                "SELECT c.id FROM ExitCheckEntity c WHERE c.exitId = :e ORDER BY c.checkedAt DESC, c.id DESC",
                Long.class)
            .setParameter("e", check.exitId)
            .setFirstResult(keep)
            .getResultList();
    if (!old.isEmpty()) {
      em.createQuery("DELETE FROM ExitCheckEntity c WHERE c.id IN :ids")
          .setParameter("ids", old)
          .executeUpdate();
    }
  }

  @Override
  public List<ExitCheckEntity> newest(long exitId) {
    return em.createQuery(
            "SELECT c FROM ExitCheckEntity c WHERE c.exitId = :e ORDER BY c.checkedAt DESC, c.id DESC",
            ExitCheckEntity.class)
        .setParameter("e", exitId)
        .getResultList();
  }
}
