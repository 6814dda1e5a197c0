package io.sluice.exits.infra;

import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitPoolEntity;
import io.sluice.exits.domain.ExitRepository;
import io.sluice.exits.domain.ProviderEntity;
import io.sluice.exits.domain.selection.ExitState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/** {@link ExitRepository} on JPA: exits, pools and providers. Callers own the transaction. */
@ApplicationScoped
public class JpaExitRepository implements ExitRepository {

  @PersistenceContext(unitName = "sluice")
  private EntityManager em;

  @Override
  public Optional<ExitNodeEntity> exit(long id) {
    return Optional.ofNullable(em.find(ExitNodeEntity.class, id));
  }

  @Override
  public Optional<ExitNodeEntity> exitByName(String name) {
    return em.createQuery("SELECT e FROM ExitNodeEntity e WHERE e.name = :n", ExitNodeEntity.class)
        .setParameter("n", name)
        .getResultStream()
        .findFirst();
  }

  /** Exits filtered by pool name, state and country (each optional), paged, ordered by id. */
  @Override
  public List<ExitNodeEntity> exits(
      String pool, ExitState state, String country, Long provider, int page, int size) {
    var q =
        em.createQuery(
            "SELECT DISTINCT e FROM ExitNodeEntity e"
                + where(pool, state, country, provider)
                + " ORDER BY e.id",
            ExitNodeEntity.class);
    bind(q, pool, state, country, provider);
    return q.setFirstResult(page * size).setMaxResults(size).getResultList();
  }

  @Override
  public long countExits(String pool, ExitState state, String country, Long provider) {
    var q =
        em.createQuery(
            "SELECT COUNT(DISTINCT e) FROM ExitNodeEntity e"
                + where(pool, state, country, provider),
            Long.class);
    bind(q, pool, state, country, provider);
    return q.getSingleResult();
  }

  @Override
  public List<ExitNodeEntity> allExits() {
    return em.createQuery("SELECT e FROM ExitNodeEntity e ORDER BY e.id", ExitNodeEntity.class)
        .getResultList();
  }

  @Override
  public List<ExitNodeEntity> exitsOfProvider(long providerId) {
    return em.createQuery(
            "SELECT e FROM ExitNodeEntity e WHERE e.providerId = :p ORDER BY e.port",
            ExitNodeEntity.class)
        .setParameter("p", providerId)
        .getResultList();
  }

  @Override
  public boolean assigned(long exitId) {
    return em.createQuery(
                "SELECT COUNT(a) FROM DedicatedAssignmentEntity a WHERE a.exitId = :e", Long.class)
            .setParameter("e", exitId)
            .getSingleResult()
        > 0;
  }

  @Override
  public Optional<ProviderEntity> provider(long id) {
    return Optional.ofNullable(em.find(ProviderEntity.class, id));
  }

  @Override
  public Optional<ProviderEntity> providerByName(String name) {
    return em.createQuery("SELECT p FROM ProviderEntity p WHERE p.name = :n", ProviderEntity.class)
        .setParameter("n", name)
        .getResultStream()
        .findFirst();
  }

  @Override
  public List<ProviderEntity> providers() {
    return em.createQuery("SELECT p FROM ProviderEntity p ORDER BY p.id", ProviderEntity.class)
        .getResultList();
  }

  @Override
  public Optional<ExitPoolEntity> pool(long id) {
    return Optional.ofNullable(em.find(ExitPoolEntity.class, id));
  }

  @Override
  public Optional<ExitPoolEntity> poolByName(String name) {
    return em.createQuery("SELECT p FROM ExitPoolEntity p WHERE p.name = :n", ExitPoolEntity.class)
        .setParameter("n", name)
        .getResultStream()
        .findFirst();
  }

  @Override
  public List<ExitPoolEntity> pools() {
    return em.createQuery("SELECT p FROM ExitPoolEntity p ORDER BY p.id", ExitPoolEntity.class)
        .getResultList();
  }

  @Override
  public List<ExitPoolEntity> poolsContaining(ExitNodeEntity exit) {
    return em.createQuery(
            "SELECT p FROM ExitPoolEntity p WHERE :e MEMBER OF p.members", ExitPoolEntity.class)
        .setParameter("e", exit)
        .getResultList();
  }

  @Override
  public ExitNodeEntity insert(ExitNodeEntity exit) {
    return persist(exit);
  }

  @Override
  public ExitPoolEntity insert(ExitPoolEntity pool) {
    return persist(pool);
  }

  @Override
  public ProviderEntity insert(ProviderEntity provider) {
    return persist(provider);
  }

  @Override
  public void delete(ExitNodeEntity exit) {
    remove(exit);
  }

  @Override
  public void delete(ExitPoolEntity pool) {
    remove(pool);
  }

  @Override
  public void delete(ProviderEntity provider) {
    remove(provider);
  }

  private <T> T persist(T entity) {
    em.persist(entity);
    em.flush();
    return entity;
  }

  private void remove(Object entity) {
    em.remove(entity);
    em.flush();
  }

  private static String where(String pool, ExitState state, String country, Long provider) {
    StringBuilder w = new StringBuilder();
    String sep = " WHERE ";
    if (pool != null) {
      w.append(sep)
          .append(
              "EXISTS (SELECT p FROM ExitPoolEntity p WHERE p.name = :pool AND e MEMBER OF p.members)");
      sep = " AND ";
    }
    if (state != null) {
      w.append(sep).append("e.state = :state");
      sep = " AND ";
    }
    if (country != null) {
      w.append(sep).append("e.country = :country");
      sep = " AND ";
    }
    if (provider != null) {
      w.append(sep).append("e.providerId = :provider");
    }
    return w.toString();
  }

  private static void bind(
      jakarta.persistence.TypedQuery<?> q,
      String pool,
      ExitState state,
      String country,
      Long provider) {
    if (provider != null) {
      q.setParameter("provider", provider);
    }
    if (pool != null) {
      q.setParameter("pool", pool);
    }
    if (state != null) {
      q.setParameter("state", state);
    }
    if (country != null) {
      q.setParameter("country", country);
    }
  }
}
