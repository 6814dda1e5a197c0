-- Token buckets of the admin API rate limits (bucket4j), shared by every node on PostgreSQL.
CREATE TABLE rate_limit_bucket (
    id         VARCHAR(255) NOT NULL PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX rate_limit_bucket_expires_at ON rate_limit_bucket (expires_at);
