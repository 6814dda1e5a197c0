package io.sluice.admin.infra;

import io.sluice.admin.domain.RefreshTokenRepository;
import io.sluice.platform.db.SqlValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link RefreshTokenRepository} on {@code refresh_token} with native SQL (the table has no
 * entity).
 */
@ApplicationScoped
public class JpaRefreshTokenRepository implements RefreshTokenRepository {

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Override
  public Optional<StoredToken> lockByHash(String tokenHash) {
    List<?> rows =
        em.createNativeQuery(
                "SELECT family, username, expires_at, used_at, revoked_at FROM refresh_token "
                    + "WHERE token_hash = ? FOR UPDATE")
            .setParameter(1, tokenHash)
            .getResultList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Object[] r = (Object[]) rows.get(0);
    return Optional.of(
        new StoredToken(
            (String) r[0], (String) r[1], SqlValues.instant(r[2]), r[3] != null || r[4] != null));
  }

  @Override
  public Optional<String> familyOf(String tokenHash) {
    List<?> rows =
        em.createNativeQuery("SELECT family FROM refresh_token WHERE token_hash = ?")
            .setParameter(1, tokenHash)
            .getResultList();
    return rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.get(0));
  }

  @Override
  public void markUsed(String tokenHash, Instant at) {
    em.createNativeQuery("UPDATE refresh_token SET used_at = ? WHERE token_hash = ?")
        .setParameter(1, Timestamp.from(at))
        .setParameter(2, tokenHash)
        .executeUpdate();
  }

  @Override
  public void revokeFamily(String family, Instant at) {
    em.createNativeQuery(
            "UPDATE refresh_token SET revoked_at = ? WHERE family = ? AND revoked_at IS NULL")
        .setParameter(1, Timestamp.from(at))
        .setParameter(2, family)
        .executeUpdate();
  }

  @Override
  public void revokeUser(String username, Instant at) {
    em.createNativeQuery(
            "UPDATE refresh_token SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL")
        .setParameter(1, Timestamp.from(at))
        .setParameter(2, username)
        .executeUpdate();
  }

  @Override
  public void insert(
      String tokenHash, String family, String username, Instant expiresAt, Instant createdAt) {
    em.createNativeQuery(
            "INSERT INTO refresh_token (token_hash, family, username, expires_at, created_at) "
                + "VALUES (?, ?, ?, ?, ?)")
        .setParameter(1, tokenHash)
        .setParameter(2, family)
        .setParameter(3, username)
        .setParameter(4, Timestamp.from(expiresAt))
        .setParameter(5, Timestamp.from(createdAt))
        .executeUpdate();
  }
}
