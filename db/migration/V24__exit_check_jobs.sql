-- Checks of many exits run as jobs: a job row whose counters move as results come in, and one
-- row per result, so any node of a cluster can show the progress of a job run by another. Exits
-- also keep a smoothed latency (EWMA) and a slow flag (set above sluice.exits.slow-ms).
ALTER TABLE exit_node ADD COLUMN latency_ewma_ms DOUBLE PRECISION;
ALTER TABLE exit_node ADD COLUMN slow BOOLEAN DEFAULT FALSE NOT NULL;

CREATE SEQUENCE exit_check_job_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE exit_check_job (
    id             BIGINT       NOT NULL PRIMARY KEY,
    state          VARCHAR(16)  NOT NULL,
    node           VARCHAR(64)  NOT NULL,
    filter_pool    VARCHAR(128),
    filter_state   VARCHAR(16),
    filter_country VARCHAR(2),
    total          INTEGER      NOT NULL,
    done           INTEGER      NOT NULL,
    healthy        INTEGER      NOT NULL,
    failing        INTEGER      NOT NULL,
    error          VARCHAR(500),
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT exit_check_job_state_ck CHECK (state IN ('running', 'done', 'failed'))
);
CREATE INDEX exit_check_job_started_idx ON exit_check_job (started_at);

CREATE SEQUENCE exit_check_job_result_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE exit_check_job_result (
    id           BIGINT       NOT NULL PRIMARY KEY,
    job_id       BIGINT       NOT NULL,
    exit_id      BIGINT       NOT NULL,
    name         VARCHAR(128) NOT NULL,
    port         INTEGER,
    expected_ip  VARCHAR(64),
    actual_ip    VARCHAR(64),
    ip_mismatch  BOOLEAN      NOT NULL,
    healthy      BOOLEAN      NOT NULL,
    slow         BOOLEAN      NOT NULL,
    latency_ms   BIGINT       NOT NULL,
    http_status  INTEGER      NOT NULL,
    exit_state   VARCHAR(16)  NOT NULL,
    error        VARCHAR(500),
    CONSTRAINT exit_check_job_result_job_fk FOREIGN KEY (job_id) REFERENCES exit_check_job (id) ON DELETE CASCADE
);
CREATE INDEX exit_check_job_result_job_idx ON exit_check_job_result (job_id, id);
