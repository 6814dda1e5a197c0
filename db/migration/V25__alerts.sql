-- Alerts: notification channels (secrets sealed under the server key), alerts with their state
-- (pending until the rule's "for" has passed, then firing, then resolved), the outbox of
-- deliveries written in the same transaction as the alert's state change, and small memos rules
-- keep between rounds (e.g. the last external IP seen per exit).
-- No CHECK constraints on purpose: on H2 2.4.240 a CHECK comparing strings fails ("Check constraint
-- invalid") once the session that created the table is closed while the database stays open (the
-- pooled Flyway connection being discarded), so type, state and kind are checked by the code.
CREATE SEQUENCE alert_channel_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE alert_channel (
    id          BIGINT        NOT NULL PRIMARY KEY,
    name        VARCHAR(64)   NOT NULL,
    type        VARCHAR(16)   NOT NULL,
    enabled     BOOLEAN       NOT NULL,
    config      VARCHAR(4000) NOT NULL,
    secret_enc  VARCHAR(4000),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT alert_channel_name_uq UNIQUE (name)
);

-- One row per alert. active_key is rule|key while the alert is pending or firing and NULL once it
-- is resolved, so a unique constraint keeps one live alert per rule and key across nodes.
CREATE SEQUENCE alert_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE alert (
    id               BIGINT        NOT NULL PRIMARY KEY,
    rule             VARCHAR(64)   NOT NULL,
    alert_key        VARCHAR(256)  NOT NULL,
    active_key       VARCHAR(330),
    state            VARCHAR(16)   NOT NULL,
    severity         VARCHAR(16)   NOT NULL,
    summary          VARCHAR(1000) NOT NULL,
    labels           VARCHAR(2000) NOT NULL,
    starts_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    fired_at         TIMESTAMP WITH TIME ZONE,
    notified_at      TIMESTAMP WITH TIME ZONE,
    ends_at          TIMESTAMP WITH TIME ZONE,
    CONSTRAINT alert_active_uq UNIQUE (active_key)
);
CREATE INDEX alert_rule_state_idx ON alert (rule, state);
CREATE INDEX alert_starts_idx ON alert (starts_at);

-- The outbox: one row per notice and channel. A sender claims rows (claimed_by/claimed_until,
-- FOR UPDATE SKIP LOCKED on PostgreSQL), sends them grouped by channel and rule, and marks them
-- sent, or schedules the next attempt, or gives up (failed).
CREATE SEQUENCE alert_delivery_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE alert_delivery (
    id              BIGINT        NOT NULL PRIMARY KEY,
    channel_id      BIGINT        NOT NULL,
    alert_id        BIGINT,
    rule            VARCHAR(64)   NOT NULL,
    kind            VARCHAR(16)   NOT NULL,
    payload         VARCHAR(4000) NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    attempts        INTEGER       NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_by      VARCHAR(64),
    claimed_until   TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(500),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT alert_delivery_channel_fk FOREIGN KEY (channel_id) REFERENCES alert_channel (id) ON DELETE CASCADE
);
CREATE INDEX alert_delivery_due_idx ON alert_delivery (state, next_attempt_at);
CREATE INDEX alert_delivery_created_idx ON alert_delivery (created_at);

CREATE TABLE alert_memo (
    rule        VARCHAR(64)   NOT NULL,
    memo_key    VARCHAR(256)  NOT NULL,
    memo_value  VARCHAR(1000) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT alert_memo_pk PRIMARY KEY (rule, memo_key)
);

