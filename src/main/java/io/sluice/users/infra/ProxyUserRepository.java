package io.sluice.users.infra;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/** Proxy users. Callers own the transaction. */
@ApplicationScoped
public class ProxyUserRepository {

  @PersistenceContext(unitName = "sluice")
  private EntityManager em;

  public Optional<ProxyUserEntity> byId(long id) {
    return Optional.ofNullable(em.find(ProxyUserEntity.class, id));
  }

  public Optional<ProxyUserEntity> byUsername(String username) {
    return em.createNamedQuery("ProxyUser.byUsername", ProxyUserEntity.class)
        .setParameter("username", username)
        .getResultStream()
        .findFirst();
  }

  /** A page ordered by id; {@code usernameFilter} matches a case-insensitive substring. */
  public List<ProxyUserEntity> page(String usernameFilter, int page, int size) {
    String where = usernameFilter == null ? "" : " WHERE LOWER(u.username) LIKE :f ESCAPE '\\'";
    var q = em.createQuery("SELECT u FROM ProxyUserEntity u" + where + " ORDER BY u.id", ProxyUserEntity.class);
    if (usernameFilter != null) {
      q.setParameter("f", like(usernameFilter));
    }
    return q.setFirstResult(page * size).setMaxResults(size).getResultList();
  }

  public long count(String usernameFilter) {
    String where = usernameFilter == null ? "" : " WHERE LOWER(u.username) LIKE :f ESCAPE '\\'";
    var q = em.createQuery("SELECT COUNT(u) FROM ProxyUserEntity u" + where, Long.class);
    if (usernameFilter != null) {
      q.setParameter("f", like(usernameFilter));
    }
    return q.getSingleResult();
  }

  public List<ProxyUserEntity> withSourceWhitelist() {
    return em.createQuery("SELECT u FROM ProxyUserEntity u WHERE u.allowedSources IS NOT NULL ORDER BY u.id",
        ProxyUserEntity.class).getResultList();
  }

  public ProxyUserEntity insert(ProxyUserEntity user) {
    em.persist(user);
    em.flush();
    return user;
  }

  public void delete(ProxyUserEntity user) {
    em.remove(user);
    em.flush();
  }

  private static String like(String filter) {
    String escaped = filter.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return "%" + escaped + "%";
  }
}
