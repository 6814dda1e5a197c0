-- Dedicated ports that recover (issue 12): an assignment whose pinned exit turns unhealthy moves
-- to a healthy exit of the user's default pool unless reassign is 'never'; every move is kept.
ALTER TABLE dedicated_assignment ADD COLUMN reassign VARCHAR(8) DEFAULT 'auto' NOT NULL;
ALTER TABLE dedicated_assignment ADD CONSTRAINT dedicated_assignment_reassign_ck
    CHECK (reassign IN ('auto', 'never'));

CREATE SEQUENCE dedicated_reassignment_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE dedicated_reassignment (
    id           BIGINT       NOT NULL PRIMARY KEY,
    user_id      BIGINT       NOT NULL,
    port         INTEGER      NOT NULL,
    from_exit_id BIGINT,
    to_exit_id   BIGINT,
    from_ip      VARCHAR(64),
    to_ip        VARCHAR(64),
    reason       VARCHAR(200) NOT NULL,
    at           TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT dedicated_reassignment_user_fk FOREIGN KEY (user_id) REFERENCES proxy_user (id) ON DELETE CASCADE
);
CREATE INDEX dedicated_reassignment_user_ix ON dedicated_reassignment (user_id, at);

-- No silent direct egress: a deleted pool no longer turns its users' default pool into "none"
-- (which meant "leave directly"). Deleting a used pool needs ?force=true; the users then keep the
-- dangling id and their sessions are refused, naming the deleted pool, until given a new one.
ALTER TABLE proxy_user DROP CONSTRAINT proxy_user_pool_fk;
