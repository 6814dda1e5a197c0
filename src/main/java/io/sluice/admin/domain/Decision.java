package io.sluice.admin.domain;

/** The outcome of {@link RateLimiter#tryConsume}. */
public sealed interface Decision {

  /** One token was taken; {@code remaining} tokens are left in the bucket. */
  record Allowed(long remaining) implements Decision {}

  /**
   * No token was available; one becomes available in about {@code retryAfterSeconds} (at least 1,
   * rounded up), suitable for a {@code Retry-After} header.
   */
  record Denied(long retryAfterSeconds) implements Decision {}
}
