package io.sluice.admin.app;

import io.sluice.admin.domain.RefreshTokenRepository;
import io.sluice.platform.crypto.Secrets;
import io.sluice.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Rotating refresh tokens (stored as SHA-256 hashes). {@link #rotate} uses a token up and issues
 * its successor; a used, revoked or unknown-family token presented again revokes the whole family,
 * so a stolen token stops working for the thief and the owner alike.
 */
@ApplicationScoped
public class RefreshTokens {

  @Inject RefreshTokenRepository tokens;

  @Inject
  @ConfigProperty(name = "sluice.jwt.refresh-ttl-hours", defaultValue = "168")
  long ttlHours;

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
    Optional<RefreshTokenRepository.StoredToken> found = tokens.lockByHash(hash(token));
    if (found.isEmpty()) {
      throw ApiException.unauthorized("invalid refresh token");
    }
    RefreshTokenRepository.StoredToken r = found.get();
    if (r.spent()) {
      revokeFamily(r.family());
      return new Rotation(r.username(), null, true);
    }
    if (!r.expiresAt().isAfter(Instant.now())) {
      throw ApiException.unauthorized("the refresh token has expired; log in again");
    }
    tokens.markUsed(hash(token), Instant.now());
    return new Rotation(r.username(), insert(r.username(), r.family()), false);
  }

  /** Revokes the family of this token (logout); false when the token is unknown. */
  @Transactional
  public boolean revoke(String token) {
    Optional<String> family = tokens.familyOf(hash(token == null ? "" : token));
    if (family.isEmpty()) {
      return false;
    }
    revokeFamily(family.get());
    return true;
  }

  /** Revokes every refresh token of a user (disabled account, password change). */
  @Transactional
  public void revokeUser(String username) {
    tokens.revokeUser(username, Instant.now());
  }

  public long ttlSeconds() {
    return Duration.ofHours(ttlHours).toSeconds();
  }

  private void revokeFamily(String family) {
    tokens.revokeFamily(family, Instant.now());
  }

  private String insert(String username, String family) {
    String token = Secrets.random(40);
    Instant now = Instant.now();
    tokens.insert(
        hash(token), family, username, now.plus(Duration.ofHours(Math.max(1, ttlHours))), now);
    return token;
  }

  static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
