-- Token buckets for io.sluice.admin.infra.ratelimit.PostgresRateLimiter (bucket4j select-for-update proxy manager).
-- id: caller key plus limit tag, e.g. 'ip:1.2.3.4:login@5/60000ms'; state: bucket4j's serialised bucket
-- (NULL between the insert and the first update); expires_at: epoch millis after which the row may be
-- deleted by PostgresRateLimiter.removeExpired. Also valid on H2 (which only uses the in-memory limiter).
CREATE TABLE rate_limit_bucket (
    id         VARCHAR(255) NOT NULL PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX rate_limit_bucket_expires_at ON rate_limit_bucket (expires_at);
