package io.sluice.admin.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * Stored refresh tokens, by SHA-256 hash of the token (table {@code refresh_token}). Callers own
 * the transaction.
 */
public interface RefreshTokenRepository {

  /**
   * A stored token.
   *
   * @param spent true when it was used or revoked already
   */
  record StoredToken(String family, String username, Instant expiresAt, boolean spent) {}

  /** The token with this hash, locked until the transaction ends ({@code FOR UPDATE}). */
  Optional<StoredToken> lockByHash(String tokenHash);

  /** The family of the token with this hash. */
  Optional<String> familyOf(String tokenHash);

  void markUsed(String tokenHash, Instant at);

  /** Revokes every not yet revoked token of the family. */
  void revokeFamily(String family, Instant at);

  /** Revokes every not yet revoked token of the user. */
  void revokeUser(String username, Instant at);

  void insert(
      String tokenHash, String family, String username, Instant expiresAt, Instant createdAt);
}
