package io.sluice.admin.app;

import io.sluice.admin.domain.RefreshTokenRepository;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link RefreshTokenRepository} in memory, for unit tests. */
final class InMemoryRefreshTokenRepository implements RefreshTokenRepository {

  private static final class Row {
    final String family;
    final String username;
    Instant expiresAt;
    Instant usedAt;
    Instant revokedAt;

    Row(String family, String username, Instant expiresAt) {
      this.family = family;
      this.username = username;
      this.expiresAt = expiresAt;
    }
  }

  private final Map<String, Row> rows = new HashMap<>();

  @Override
  public Optional<StoredToken> lockByHash(String tokenHash) {
    return Optional.ofNullable(rows.get(tokenHash))
        .map(r ->
            new StoredToken(
                r.family, r.username, r.expiresAt, r.usedAt != null || r.revokedAt != null));
  }

  @Override
  public Optional<String> familyOf(String tokenHash) {
    return Optional.ofNullable(rows.get(tokenHash)).map(r -> r.family);
  }

  @Override
  public void markUsed(String tokenHash, Instant at) {
    Row r = rows.get(tokenHash);
    if (r != null) {
      r.usedAt = at;
    }
  }

  @Override
  public void revokeFamily(String family, Instant at) {
    rows.values().stream()
        .filter(r -> r.family.equals(family) && r.revokedAt == null)
        .forEach(r -> r.revokedAt = at);
  }

  @Override
  public void revokeUser(String username, Instant at) {
    rows.values().stream()
        .filter(r -> r.username.equals(username) && r.revokedAt == null)
        .forEach(r -> r.revokedAt = at);
  }

  @Override
  public void insert(
      String tokenHash, String family, String username, Instant expiresAt, Instant createdAt) {
    if (rows.putIfAbsent(tokenHash, new Row(family, username, expiresAt)) != null) {
      throw new IllegalStateException("duplicate token hash");
    }
  }

  /** Lets every stored token of the user expire (as if its lifetime had passed). */
  void expireAll(String username) {
    rows.values().stream()
        .filter(r -> r.username.equals(username))
        .forEach(r -> r.expiresAt = Instant.EPOCH);
  }
}
