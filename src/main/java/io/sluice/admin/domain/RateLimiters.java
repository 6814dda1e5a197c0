package io.sluice.admin.domain;

/** Creates the rate limiters the admin API can use. */
public interface RateLimiters {

  /** Buckets in this node's memory (single node, embedded database, and before start-up). */
  RateLimiter inMemory();

  /** Buckets in the shared database, so every node enforces one limit per key. */
  RateLimiter shared();
}
