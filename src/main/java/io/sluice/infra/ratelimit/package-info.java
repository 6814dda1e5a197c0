/**
 * Rate limiting for the admin API: token buckets per key (per token and per source address,
 * separately for the API and for login).
 *
 * <p>{@link io.sluice.infra.ratelimit.PostgresRateLimiter} keeps buckets in a PostgreSQL table so
 * that limits hold across nodes; {@link io.sluice.infra.ratelimit.LocalRateLimiter} keeps them in
 * memory for single-node development on H2. Plain Java with bucket4j and JDBC
 * ({@code javax.sql.DataSource}); no Jakarta EE, no MicroProfile.
 */
package io.sluice.infra.ratelimit;
