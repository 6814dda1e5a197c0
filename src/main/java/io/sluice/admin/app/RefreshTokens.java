package io.sluice.admin.app;

import io.sluice.platform.problem.ApiException;

import io.sluice.platform.db.SqlValues;
import io.sluice.platform.crypto.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Rotating refresh tokens (stored as SHA-256 hashes). {@link #rotate} uses a token up and issues
 * its successor; a used, revoked or unknown-family token presented again revokes the whole
 * family, so a stolen token stops working for the thief and the owner alike.
 */
@ApplicationScoped
public class RefreshTokens {

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Inject @ConfigProperty(name = "sluice.jwt.refresh-ttl-hours", defaultValue = "168") long ttlHours;

  /** Outcome of a rotation: the user and the new token, or a reuse/expiry verdict. */
  public record Rotation(String username, String newToken, boolean reuseDetected) {}

  @Transactional
  public String issue(String username) {
    return insert(username, Secrets.random(20));
  }

  @Transactional(dontRollbackOn = ApiException.class)
  public Rotation rotate(String token) {
    if (token == null || token.length() > 200) {
      throw ApiException.unauthorized("invalid refresh token");
    }
    List<?> rows = em.createNativeQuery("SELECT family, username, expires_at, used_at, revoked_at FROM refresh_token "
        + "WHERE token_hash = ? FOR UPDATE").setParameter(1, hash(token)).getResultList();
    if (rows.isEmpty()) {
      throw ApiException.unauthorized("invalid refresh token");
    }
    Object[] r = (Object[]) rows.get(0);
    String family = (String) r[0];
    String username = (String) r[1];
    if (r[3] != null || r[4] != null) {
      revokeFamily(family);
      return new Rotation(username, null, true);
    }
    if (!SqlValues.instant(r[2]).isAfter(Instant.now())) {
      throw ApiException.unauthorized("the refresh token has expired; log in again");
    }
    em.createNativeQuery("UPDATE refresh_token SET used_at = ? WHERE token_hash = ?")
        .setParameter(1, Timestamp.from(Instant.now())).setParameter(2, hash(token)).executeUpdate();
    return new Rotation(username, insert(username, family), false);
  }

  /** Revokes the family of this token (logout); false when the token is unknown. */
  @Transactional
  public boolean revoke(String token) {
    List<?> rows = em.createNativeQuery("SELECT family FROM refresh_token WHERE token_hash = ?")
        .setParameter(1, hash(token == null ? "" : token)).getResultList();
    if (rows.isEmpty()) {
      return false;
    }
    revokeFamily((String) rows.get(0));
    return true;
  }

  /** Revokes every refresh token of a user (disabled account, password change). */
  @Transactional
  public void revokeUser(String username) {
    em.createNativeQuery("UPDATE refresh_token SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL")
        .setParameter(1, Timestamp.from(Instant.now())).setParameter(2, username).executeUpdate();
  }

  public long ttlSeconds() {
    return Duration.ofHours(ttlHours).toSeconds();
  }

  private void revokeFamily(String family) {
    em.createNativeQuery("UPDATE refresh_token SET revoked_at = ? WHERE family = ? AND revoked_at IS NULL")
        .setParameter(1, Timestamp.from(Instant.now())).setParameter(2, family).executeUpdate();
  }

  private String insert(String username, String family) {
    String token = Secrets.random(40);
    Instant now = Instant.now();
    em.createNativeQuery("INSERT INTO refresh_token (token_hash, family, username, expires_at, created_at) "
            + "VALUES (?, ?, ?, ?, ?)")
        .setParameter(1, hash(token)).setParameter(2, family).setParameter(3, username)
        .setParameter(4, Timestamp.from(now.plus(Duration.ofHours(Math.max(1, ttlHours)))))
        .setParameter(5, Timestamp.from(now)).executeUpdate();
    return token;
  }

  static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
