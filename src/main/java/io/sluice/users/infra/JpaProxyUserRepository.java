package io.sluice.users.infra;

import io.sluice.users.domain.ProxyUserEntity;
import io.sluice.users.domain.ProxyUserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/** {@link ProxyUserRepository} on JPA. Callers own the transaction. */
@ApplicationScoped
public class JpaProxyUserRepository implements ProxyUserRepository {

  @PersistenceContext(unitName = "sluice")
  private EntityManager em;

  @Override
  public Optional<ProxyUserEntity> byId(long id) {
    return Optional.ofNullable(em.find(ProxyUserEntity.class, id));
  }

  @Override
  public Optional<ProxyUserEntity> byUsername(String username) {
    return em.createNamedQuery("ProxyUser.byUsername", ProxyUserEntity.class)
        .setParameter("username", username)
        .getResultStream()
        .findFirst();
  }

  @Override
  public List<ProxyUserEntity> page(String usernameFilter, int page, int size) {
    String where = usernameFilter == null ? "" : " WHERE LOWER(u.username) LIKE :f ESCAPE '\\'";
    var q =
        em.createQuery(
            "SELECT u FROM ProxyUserEntity u" + where + " ORDER BY u.id", ProxyUserEntity.class);
    if (usernameFilter != null) {
      q.setParameter("f", like(usernameFilter));
    }
    return q.setFirstResult(page * size).setMaxResults(size).getResultList();
  }

  @Override
  public long count(String usernameFilter) {
    String where = usernameFilter == null ? "" : " WHERE LOWER(u.username) LIKE :f ESCAPE '\\'";
    var q = em.createQuery("SELECT COUNT(u) FROM ProxyUserEntity u" + where, Long.class);
    if (usernameFilter != null) {
      q.setParameter("f", like(usernameFilter));
    }
    return q.getSingleResult();
  }

  @Override
  public List<ProxyUserEntity> withSourceWhitelist() {
    return em.createQuery(
            "SELECT u FROM ProxyUserEntity u WHERE u.allowedSources IS NOT NULL ORDER BY u.id",
            ProxyUserEntity.class)
        .getResultList();
  }

  @Override
  public List<ProxyUserEntity> usingPool(long poolId, String poolName) {
    return em.createQuery(
            "SELECT u FROM ProxyUserEntity u WHERE u.defaultPoolId = :id "
                + "OR u.allowedPools LIKE :name ORDER BY u.id",
            ProxyUserEntity.class)
        .setParameter("id", poolId)
        .setParameter("name", "%" + poolName + "%")
        .getResultList();
  }

  @Override
  public List<ProxyUserEntity> enabled() {
    return em.createQuery(
            "SELECT u FROM ProxyUserEntity u WHERE u.enabled = TRUE ORDER BY u.id",
            ProxyUserEntity.class)
        .getResultList();
  }

  @Override
  public long countUsable(java.time.Instant now) {
    return ((Number)
            em.createNativeQuery(
                    "SELECT COUNT(*) FROM proxy_user WHERE enabled = TRUE"
                        + " AND (expires_at IS NULL OR expires_at > ?)")
                .setParameter(1, java.sql.Timestamp.from(now))
                .getSingleResult())
        .longValue();
  }

  @Override
  public ProxyUserEntity insert(ProxyUserEntity user) {
    em.persist(user);
    em.flush();
    return user;
  }

  @Override
  public void delete(ProxyUserEntity user) {
    em.remove(user);
    em.flush();
  }

  private static String like(String filter) {
    String escaped =
        filter
            .toLowerCase(java.util.Locale.ROOT)
            .replace("\\", "\\\\")
            .replace("%", "\\%")
            .replace("_", "\\_");
    return "%" + escaped + "%";
  }
}
