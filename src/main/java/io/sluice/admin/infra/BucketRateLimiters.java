package io.sluice.admin.infra;

import io.sluice.admin.domain.RateLimiter;
import io.sluice.admin.domain.RateLimiters;
import io.sluice.admin.infra.ratelimit.LocalRateLimiter;
import io.sluice.admin.infra.ratelimit.PostgresRateLimiter;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import javax.sql.DataSource;

/**
 * {@link RateLimiters} with bucket4j: in memory for at most 100,000 keys, or in the PostgreSQL
 * table {@code rate_limit_bucket} of {@code jdbc/sluice}.
 */
@ApplicationScoped
public class BucketRateLimiters implements RateLimiters {

  @Resource(lookup = "jdbc/sluice")
  DataSource dataSource;

  @Override
  public RateLimiter inMemory() {
    return new LocalRateLimiter(100_000);
  }

  @Override
  public RateLimiter shared() {
    return new PostgresRateLimiter(dataSource, "rate_limit_bucket");
  }
}
