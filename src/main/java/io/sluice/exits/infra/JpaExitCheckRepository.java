package io.sluice.exits.infra;

import io.sluice.exits.domain.ExitCheckEntity;
import io.sluice.exits.domain.ExitCheckRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  @Override
  public Map<Long, List<Integer>> successfulLatencies(Collection<Long> exitIds) {
    Map<Long, List<Integer>> out = new HashMap<>();
    if (exitIds.isEmpty()) {
      return out;
    }
    List<Object[]> rows =
        em.createQuery(
                "SELECT c.exitId, c.latencyMs FROM ExitCheckEntity c WHERE c.exitId IN :e AND"
                    + " c.healthy = TRUE AND c.latencyMs IS NOT NULL ORDER BY c.checkedAt DESC,"
                    + " c.id DESC",
                Object[].class)
            .setParameter("e", exitIds)
            .getResultList();
    for (Object[] r : rows) {
      out.computeIfAbsent((Long) r[0], k -> new ArrayList<>()).add((Integer) r[1]);
    }
    return out;
  }
}
