package io.sluice.exits.infra;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/** Exits and pools. Callers own the transaction. */
@ApplicationScoped
public class ExitRepository {

  @PersistenceContext(unitName = "sluice")
  private EntityManager em;

  public Optional<ExitNodeEntity> exit(long id) {
    return Optional.ofNullable(em.find(ExitNodeEntity.class, id));
  }

  public Optional<ExitNodeEntity> exitByName(String name) {
    return em.createQuery("SELECT e FROM ExitNodeEntity e WHERE e.name = :n", ExitNodeEntity.class)
        .setParameter("n", name).getResultStream().findFirst();
  }

  /** Exits filtered by pool name, state and country (each optional), paged, ordered by id. */
  public List<ExitNodeEntity> exits(String pool, String state, String country, Long provider, int page, int size) {
    var q = em.createQuery("SELECT DISTINCT e FROM ExitNodeEntity e" + where(pool, state, country, provider)
        + " ORDER BY e.id", ExitNodeEntity.class);
    bind(q, pool, state, country, provider);
    return q.setFirstResult(page * size).setMaxResults(size).getResultList();
  }

  public long countExits(String pool, String state, String country, Long provider) {
    var q = em.createQuery("SELECT COUNT(DISTINCT e) FROM ExitNodeEntity e" + where(pool, state, country, provider),
        Long.class);
    bind(q, pool, state, country, provider);
    return q.getSingleResult();
  }

  public List<ExitNodeEntity> allExits() {
    return em.createQuery("SELECT e FROM ExitNodeEntity e ORDER BY e.id", ExitNodeEntity.class).getResultList();
  }

  public List<ExitNodeEntity> exitsOfProvider(long providerId) {
    return em.createQuery("SELECT e FROM ExitNodeEntity e WHERE e.providerId = :p ORDER BY e.port", ExitNodeEntity.class)
        .setParameter("p", providerId).getResultList();
  }

  public boolean assigned(long exitId) {
    return em.createQuery("SELECT COUNT(a) FROM DedicatedAssignmentEntity a WHERE a.exitId = :e", Long.class)
        .setParameter("e", exitId).getSingleResult() > 0;
  }

  public Optional<ProviderEntity> provider(long id) {
    return Optional.ofNullable(em.find(ProviderEntity.class, id));
  }

  public Optional<ProviderEntity> providerByName(String name) {
    return em.createQuery("SELECT p FROM ProviderEntity p WHERE p.name = :n", ProviderEntity.class)
        .setParameter("n", name).getResultStream().findFirst();
  }

  public List<ProviderEntity> providers() {
    return em.createQuery("SELECT p FROM ProviderEntity p ORDER BY p.id", ProviderEntity.class).getResultList();
  }

  public Optional<ExitPoolEntity> pool(long id) {
    return Optional.ofNullable(em.find(ExitPoolEntity.class, id));
  }

  public Optional<ExitPoolEntity> poolByName(String name) {
    return em.createQuery("SELECT p FROM ExitPoolEntity p WHERE p.name = :n", ExitPoolEntity.class)
        .setParameter("n", name).getResultStream().findFirst();
  }

  public List<ExitPoolEntity> pools() {
    return em.createQuery("SELECT p FROM ExitPoolEntity p ORDER BY p.id", ExitPoolEntity.class).getResultList();
  }

  public List<ExitPoolEntity> poolsContaining(ExitNodeEntity exit) {
    return em.createQuery("SELECT p FROM ExitPoolEntity p WHERE :e MEMBER OF p.members", ExitPoolEntity.class)
        .setParameter("e", exit).getResultList();
  }

  public <T> T insert(T entity) {
    em.persist(entity);
    em.flush();
    return entity;
  }

  public void delete(Object entity) {
    em.remove(entity);
    em.flush();
  }

  private static String where(String pool, String state, String country, Long provider) {
    StringBuilder w = new StringBuilder();
    String sep = " WHERE ";
    if (pool != null) {
      w.append(sep).append("EXISTS (SELECT p FROM ExitPoolEntity p WHERE p.name = :pool AND e MEMBER OF p.members)");
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

  private static void bind(jakarta.persistence.TypedQuery<?> q, String pool, String state, String country,
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
