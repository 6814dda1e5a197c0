package io.sluice.admin.infra;

import io.sluice.admin.domain.ApiKeyRepository;
import io.sluice.platform.db.SqlValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link ApiKeyRepository} on {@code api_key} with native SQL (the table has no entity). */
@ApplicationScoped
public class JpaApiKeyRepository implements ApiKeyRepository {

  private static final String COLUMNS =
      "SELECT id, name, role, token_hash, created_by, created_at, expires_at, revoked_at, "
          + "last_used_at FROM api_key ";

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Override
  public long nextId() {
    return ((Number) em.createNativeQuery("SELECT nextval('api_key_seq')").getSingleResult())
        .longValue();
  }

  @Override
  public void insert(StoredKey k) {
    em.createNativeQuery(
            "INSERT INTO api_key (id, name, role, token_hash, created_by, created_at, expires_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .setParameter(1, k.id())
        .setParameter(2, k.name())
        .setParameter(3, k.role())
        .setParameter(4, k.tokenHash())
        .setParameter(5, k.createdBy())
        .setParameter(6, Timestamp.from(k.createdAt()))
        .setParameter(7, Timestamp.from(k.expiresAt()))
        .executeUpdate();
  }

  @Override
  public Optional<StoredKey> byId(long id) {
    return one(em.createNativeQuery(COLUMNS + "WHERE id = ?").setParameter(1, id).getResultList());
  }

  @Override
  public Optional<StoredKey> byName(String name) {
    return one(
        em.createNativeQuery(COLUMNS + "WHERE name = ?").setParameter(1, name).getResultList());
  }

  @Override
  public Optional<StoredKey> byTokenHash(String tokenHash) {
    return one(
        em.createNativeQuery(COLUMNS + "WHERE token_hash = ?")
            .setParameter(1, tokenHash)
            .getResultList());
  }

  @Override
  public List<StoredKey> list() {
    return em.createNativeQuery(COLUMNS + "ORDER BY id DESC").getResultList().stream()
        .map(r -> row((Object[]) r))
        .toList();
  }

  @Override
  public boolean revoke(long id, Instant at) {
    return em.createNativeQuery(
                "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .setParameter(1, Timestamp.from(at))
            .setParameter(2, id)
            .executeUpdate()
        == 1;
  }

  @Override
  @Transactional
  public void touch(long id, Instant at) {
    em.createNativeQuery("UPDATE api_key SET last_used_at = ? WHERE id = ?")
        .setParameter(1, Timestamp.from(at))
        .setParameter(2, id)
        .executeUpdate();
  }

  private static Optional<StoredKey> one(List<?> rows) {
    return rows.isEmpty() ? Optional.empty() : Optional.of(row((Object[]) rows.get(0)));
  }

  private static StoredKey row(Object[] r) {
    return new StoredKey(
        ((Number) r[0]).longValue(),
        (String) r[1],
        (String) r[2],
        (String) r[3],
        (String) r[4],
        SqlValues.instant(r[5]),
        SqlValues.instant(r[6]),
        SqlValues.instant(r[7]),
        SqlValues.instant(r[8]));
  }
}
