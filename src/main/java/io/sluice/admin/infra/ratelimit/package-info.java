/**
 * Rate limiting for the admin API: token buckets per key (per token and per source address,
 * separately for the API and for login). {@link io.sluice.admin.infra.ratelimit.PostgresRateLimiter}
 * keeps buckets in a PostgreSQL table so limits hold across nodes; {@link
 * io.sluice.admin.infra.ratelimit.LocalRateLimiter} keeps them in memory for single-node development
 * on H2. Plain Java with bucket4j and JDBC; no Jakarta EE.
 */
package io.sluice.admin.infra.ratelimit;
