package io.sluice.infra.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/** Admin accounts. Callers own the transaction. */
@ApplicationScoped
public class AdminRepository {

  @PersistenceContext(unitName = "sluice")
  private EntityManager em;

  public Optional<AdminAccountEntity> byUsername(String username) {
    return em.createNamedQuery("Admin.byUsername", AdminAccountEntity.class)
        .setParameter("username", username)
        .getResultStream()
        .findFirst();
  }

  public Optional<AdminAccountEntity> byId(long id) {
    return Optional.ofNullable(em.find(AdminAccountEntity.class, id));
  }

  public List<AdminAccountEntity> all() {
    return em.createNamedQuery("Admin.all", AdminAccountEntity.class).getResultList();
  }

  public long count() {
    return em.createNamedQuery("Admin.count", Long.class).getSingleResult();
  }

  public AdminAccountEntity insert(AdminAccountEntity admin) {
    em.persist(admin);
    em.flush();
    return admin;
  }
}
