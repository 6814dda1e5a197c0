package io.sluice.admin.infra;

import io.sluice.admin.domain.AdminAccountEntity;
import io.sluice.admin.domain.AdminRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/**
 * {@link AdminRepository} with JPA (named queries on the entity; native SQL for recovery codes).
 */
@ApplicationScoped
public class JpaAdminRepository implements AdminRepository {

  @PersistenceContext(unitName = "sluice")
  private EntityManager em;

  @Override
  public Optional<AdminAccountEntity> byUsername(String username) {
    return em.createNamedQuery("Admin.byUsername", AdminAccountEntity.class)
        .setParameter("username", username)
        .getResultStream()
        .findFirst();
  }

  @Override
  public Optional<AdminAccountEntity> byId(long id) {
    return Optional.ofNullable(em.find(AdminAccountEntity.class, id));
  }

  @Override
  public List<AdminAccountEntity> all() {
    return em.createNamedQuery("Admin.all", AdminAccountEntity.class).getResultList();
  }

  @Override
  public long count() {
    return em.createNamedQuery("Admin.count", Long.class).getSingleResult();
  }

  @Override
  public void replaceRecoveryCodes(long adminId, java.util.List<String> hashes) {
    em.createNativeQuery("DELETE FROM admin_recovery_code WHERE admin_id = ?")
        .setParameter(1, adminId)
        .executeUpdate();
    for (String h : hashes) {
      em.createNativeQuery("INSERT INTO admin_recovery_code (admin_id, code_hash) VALUES (?, ?)")
          .setParameter(1, adminId)
          .setParameter(2, h)
          .executeUpdate();
    }
  }

  @Override
  public boolean useRecoveryCode(long adminId, String hash) {
    return em.createNativeQuery(
                "UPDATE admin_recovery_code SET used_at = ? WHERE admin_id = ? AND code_hash = ? "
                    + "AND used_at IS NULL")
            .setParameter(1, java.sql.Timestamp.from(java.time.Instant.now()))
            .setParameter(2, adminId)
            .setParameter(3, hash)
            .executeUpdate()
        == 1;
  }

  @Override
  public AdminAccountEntity insert(AdminAccountEntity admin) {
    em.persist(admin);
    em.flush();
    return admin;
  }
}
