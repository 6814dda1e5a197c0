-- Health of each exit, checked through the exit itself, with hysteresis counters, and the
-- recent check results. A lease row makes the periodic monitor run on one node at a time.
ALTER TABLE exit_node ADD COLUMN check_url VARCHAR(2000);
ALTER TABLE exit_node ADD COLUMN expected_ip VARCHAR(64);
ALTER TABLE exit_node ADD COLUMN actual_ip VARCHAR(64);
ALTER TABLE exit_node ADD COLUMN latency_ms INTEGER;
ALTER TABLE exit_node ADD COLUMN last_checked_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE exit_node ADD COLUMN last_verified_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE exit_node ADD COLUMN last_error VARCHAR(500);
ALTER TABLE exit_node ADD COLUMN consecutive_failures INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE exit_node ADD COLUMN consecutive_successes INTEGER DEFAULT 0 NOT NULL;

CREATE SEQUENCE exit_check_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE exit_check (
    id          BIGINT      NOT NULL PRIMARY KEY,
    exit_id     BIGINT      NOT NULL,
    checked_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    healthy     BOOLEAN     NOT NULL,
    actual_ip   VARCHAR(64),
    latency_ms  INTEGER,
    http_status INTEGER,
    error       VARCHAR(500),
    CONSTRAINT exit_check_exit_fk FOREIGN KEY (exit_id) REFERENCES exit_node (id) ON DELETE CASCADE
);
CREATE INDEX exit_check_exit_idx ON exit_check (exit_id, checked_at);

CREATE TABLE cluster_lease (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    holder      VARCHAR(128) NOT NULL,
    valid_until TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO cluster_lease (name, holder, valid_until) VALUES ('exit-monitor', '-', TIMESTAMP WITH TIME ZONE '2000-01-01 00:00:00+00');
