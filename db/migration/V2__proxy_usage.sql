-- Per-user proxy usage totals, written in batches by every node (additive updates).
CREATE TABLE proxy_user_usage (
    user_id      BIGINT NOT NULL PRIMARY KEY,
    bytes_up     BIGINT NOT NULL,
    bytes_down   BIGINT NOT NULL,
    connections  BIGINT NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT proxy_user_usage_user_fk FOREIGN KEY (user_id) REFERENCES proxy_user (id) ON DELETE CASCADE
);
