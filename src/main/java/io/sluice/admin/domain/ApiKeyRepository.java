package io.sluice.admin.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stored API keys (table {@code api_key}): metadata and the SHA-256 hash of the token, never the
 * token. Callers own the transaction, except {@link #touch}, which runs in its own when none is
 * active.
 */
public interface ApiKeyRepository {

  /**
   * A stored key.
   *
   * @param tokenHash hex SHA-256 of the token
   * @param revokedAt null while the key is usable
   */
  record StoredKey(
      long id,
      String name,
      String role,
      String tokenHash,
      String createdBy,
      Instant createdAt,
      Instant expiresAt,
      Instant revokedAt,
      Instant lastUsedAt) {

    /** True when the key is neither revoked nor expired at {@code now}. */
    public boolean usableAt(Instant now) {
      return revokedAt == null && now.isBefore(expiresAt);
    }
  }

  /** A fresh key id. */
  long nextId();

  void insert(StoredKey key);

  Optional<StoredKey> byId(long id);

  Optional<StoredKey> byName(String name);

  Optional<StoredKey> byTokenHash(String tokenHash);

  /** Every key, revoked ones included, newest first. */
  List<StoredKey> list();

  /** Sets {@code revoked_at} when the key is not revoked yet; true when it changed. */
  boolean revoke(long id, Instant at);

  /** Records a use of the key. */
  void touch(long id, Instant at);
}
