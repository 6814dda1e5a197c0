package io.sluice.admin.infra.ratelimit;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.sluice.admin.domain.Decision;
import io.sluice.admin.domain.Limit;
import io.sluice.admin.domain.RateLimiter;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Rate limiter whose buckets live in a PostgreSQL table, so that every node sharing the database
 * enforces one limit per key.
 *
 * <p>Uses bucket4j's {@link PostgreSQLSelectForUpdateBasedProxyManager}: each call runs one short
 * transaction on a connection from the {@link DataSource} ({@code INSERT ... ON CONFLICT DO
 * NOTHING}, {@code SELECT state ... FOR UPDATE}, {@code UPDATE}), locking only that key's row. Keys
 * are stored as text ({@link PrimaryKeyMapper#STRING}): the id column holds the caller's key plus
 * the limit's tag, e.g. {@code ip:1.2.3.4:login@5/60000ms}; no hashing, so no collisions.
 *
 * <p>The table (DDL in {@code io/sluice/admin/infra/ratelimit/bucket-table.sql}) has columns {@code
 * id VARCHAR(255) PRIMARY KEY, state BYTEA, expires_at BIGINT}. Rows carry an expiry (epoch millis
 * when the bucket has refilled completely, plus a margin); call {@link #removeExpired(int)}
 * periodically to delete them.
 *
 * <p>Refill time is computed from the calling JVM's wall clock, so nodes need synchronised clocks
 * (NTP). Database errors surface as unchecked exceptions from {@link #tryConsume}.
 */
public final class PostgresRateLimiter implements RateLimiter {

  /** An optionally schema-qualified, unquoted SQL identifier. */
  private static final Pattern TABLE_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

  /** Extra time a full bucket's row is kept before it counts as expired. */
  private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);

  private final PostgreSQLSelectForUpdateBasedProxyManager<String> proxyManager;

  /**
   * @param ds a PostgreSQL data source
   * @param table the bucket table, optionally schema-qualified ({@code [schema.]name}, plain
   *     identifiers only)
   */
  public PostgresRateLimiter(DataSource ds, String table) {
    Objects.requireNonNull(ds, "ds");
    Objects.requireNonNull(table, "table");
    if (!TABLE_NAME.matcher(table).matches()) {
      throw new IllegalArgumentException("not a plain SQL table name: " + table);
    }
    this.proxyManager =
        Bucket4jPostgreSQL.selectForUpdateBasedBuilder(ds)
            .primaryKeyMapper(PrimaryKeyMapper.STRING)
            .table(table)
            .idColumn("id")
            .stateColumn("state")
            .expiresAtColumn("expires_at")
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(EXPIRY_MARGIN))
            .build();
  }

  @Override
  public Decision tryConsume(String key, Limit limit) {
    String id = RateLimiter.bucketId(key, limit);
    var bucket = proxyManager.builder().build(id, () -> Buckets.configuration(limit));
    return Buckets.decide(bucket.tryConsumeAndReturnRemaining(1));
  }

  /**
   * Deletes up to {@code batchSize} rows whose buckets have been full (idle) for longer than the
   * expiry margin. Safe to run concurrently from several nodes ({@code FOR UPDATE SKIP LOCKED}).
   *
   * @return the number of rows deleted; call again while it equals {@code batchSize}
   */
  @Override
  public int removeExpired(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
    }
    return proxyManager.removeExpired(batchSize);
  }
}
