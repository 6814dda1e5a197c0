package io.sluice.admin.domain;

/**
 * Token-bucket rate limiting by string key, for example {@code ip:1.2.3.4:api}, {@code
 * token:<jti>:api} or {@code ip:1.2.3.4:login}.
 *
 * <p>The bucket is identified by the key <em>and</em> the limit: calling with the same key and a
 * different {@link Limit} uses a different bucket. Callers should therefore put the scope ({@code
 * api}, {@code login}) into the key and use one limit per scope.
 */
public interface RateLimiter {

  /**
   * Maximum key length in characters (the PostgreSQL id column holds the key plus the limit tag).
   */
  int MAX_KEY_LENGTH = 200;

  /**
   * Takes one token from the bucket of {@code key} under {@code limit}.
   *
   * @throws IllegalArgumentException if the key is empty or longer than {@link #MAX_KEY_LENGTH}
   * @throws RuntimeException if the backing store fails (the caller decides fail-open or
   *     fail-closed)
   */
  Decision tryConsume(String key, Limit limit);

  /**
   * Deletes up to {@code batchSize} buckets that have been full (idle) for a while, where the store
   * keeps them until then; returns how many, so callers repeat while it equals {@code batchSize}.
   * Stores that forget idle buckets by themselves delete nothing.
   */
  default int removeExpired(int batchSize) {
    return 0;
  }

  /** Validates a key and returns the bucket id for it under {@code limit}. */
  static String bucketId(String key, Limit limit) {
    java.util.Objects.requireNonNull(key, "key");
    java.util.Objects.requireNonNull(limit, "limit");
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "rate-limit key must have 1.." + MAX_KEY_LENGTH + " characters, got " + key.length());
    }
    return key + "@" + limit.tag();
  }
}
