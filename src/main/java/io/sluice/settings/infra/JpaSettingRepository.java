package io.sluice.settings.infra;

import io.sluice.settings.domain.SettingRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link SettingRepository} on native SQL through JPA (the table has no entity). */
@ApplicationScoped
public class JpaSettingRepository implements SettingRepository {

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Override
  public Optional<String> value(String name) {
    List<?> rows =
        em.createNativeQuery("SELECT setting_value FROM setting WHERE name = ?")
            .setParameter(1, name)
            .getResultList();
    return rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.get(0));
  }

  @Override
  public boolean exists(String name) {
    Number n =
        (Number)
            em.createNativeQuery("SELECT COUNT(*) FROM setting WHERE name = ?")
                .setParameter(1, name)
                .getSingleResult();
    return n.longValue() != 0;
  }

  @Override
  public boolean update(String name, String value, String actor, Instant at) {
    int n =
        em.createNativeQuery(
                "UPDATE setting SET setting_value = ?, updated_by = ?, updated_at = ? WHERE name = ?")
            .setParameter(1, value)
            .setParameter(2, actor)
            .setParameter(3, Timestamp.from(at))
            .setParameter(4, name)
            .executeUpdate();
    return n != 0;
  }

  @Override
  public void insert(String name, String value, String actor, Instant at) {
    em.createNativeQuery(
            "INSERT INTO setting (name, setting_value, updated_by, updated_at) VALUES (?, ?, ?, ?)")
        .setParameter(1, name)
        .setParameter(2, value)
        .setParameter(3, actor)
        .setParameter(4, Timestamp.from(at))
        .executeUpdate();
  }
}
