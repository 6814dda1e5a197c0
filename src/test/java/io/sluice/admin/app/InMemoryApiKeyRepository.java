package io.sluice.admin.app;

import io.sluice.admin.domain.ApiKeyRepository;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** {@link ApiKeyRepository} in memory, for unit tests; counts the look-ups by hash. */
final class InMemoryApiKeyRepository implements ApiKeyRepository {

  final Map<Long, StoredKey> rows = new TreeMap<>();
  final AtomicInteger hashLookups = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong(50);

  @Override
  public long nextId() {
    return ids.getAndIncrement();
  }

  @Override
  public void insert(StoredKey key) {
    if (rows.values().stream().anyMatch(k -> k.name().equals(key.name()))) {
      throw new IllegalStateException("unique name violated: " + key.name());
    }
    rows.put(key.id(), key);
  }

  @Override
  public Optional<StoredKey> byId(long id) {
    return Optional.ofNullable(rows.get(id));
  }

  @Override
  public Optional<StoredKey> byName(String name) {
    return rows.values().stream().filter(k -> k.name().equals(name)).findFirst();
  }

  @Override
  public Optional<StoredKey> byTokenHash(String tokenHash) {
    hashLookups.incrementAndGet();
    return rows.values().stream().filter(k -> k.tokenHash().equals(tokenHash)).findFirst();
  }

  @Override
  public List<StoredKey> list() {
    return rows.values().stream()
        .sorted(Comparator.comparingLong(StoredKey::id).reversed())
        .toList();
  }

  @Override
  public boolean revoke(long id, Instant at) {
    StoredKey k = rows.get(id);
    if (k == null || k.revokedAt() != null) {
      return false;
    }
    rows.put(id, with(k, at, k.lastUsedAt()));
    return true;
  }

  @Override
  public void touch(long id, Instant at) {
    StoredKey k = rows.get(id);
    if (k != null) {
      rows.put(id, with(k, k.revokedAt(), at));
    }
  }

  private static StoredKey with(StoredKey k, Instant revokedAt, Instant lastUsedAt) {
    return new StoredKey(
        k.id(),
        k.name(),
        k.role(),
        k.tokenHash(),
        k.createdBy(),
        k.createdAt(),
        k.expiresAt(),
        revokedAt,
        lastUsedAt);
  }
}
