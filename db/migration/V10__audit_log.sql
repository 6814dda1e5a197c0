-- The audit log: append-only record of every state-changing admin call and security event.
CREATE SEQUENCE audit_event_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE audit_event (
    id         BIGINT        NOT NULL PRIMARY KEY,
    at         TIMESTAMP WITH TIME ZONE NOT NULL,
    actor      VARCHAR(128),
    source_ip  VARCHAR(64),
    action     VARCHAR(64)   NOT NULL,
    target     VARCHAR(300),
    outcome    VARCHAR(16)   NOT NULL,
    request_id VARCHAR(64),
    detail     VARCHAR(1000)
);
CREATE INDEX audit_event_at_idx ON audit_event (at);
CREATE INDEX audit_event_actor_idx ON audit_event (actor, at);
