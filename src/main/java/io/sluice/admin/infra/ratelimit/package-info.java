/**
 * Implementations of {@link io.sluice.admin.domain.RateLimiter} for the admin API: token buckets
 * per key (per token and per source address, separately for the API and for login). {@link
 * io.sluice.admin.infra.ratelimit.PostgresRateLimiter} keeps buckets in a PostgreSQL table so
 * limits hold across nodes; {@link io.sluice.admin.infra.ratelimit.LocalRateLimiter} keeps them in
 * memory for single-node development on H2. Plain Java with bucket4j and JDBC; no Jakarta EE
 * ({@link io.sluice.admin.infra.BucketRateLimiters} creates them for the application).
 */
package io.sluice.admin.infra.ratelimit;
