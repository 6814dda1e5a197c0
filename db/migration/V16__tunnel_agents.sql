-- Tunnel agents: programs behind NAT that hold a WebSocket to Sluice. The token is stored only as
-- a keyed hash (HMAC-SHA256 with a key derived from the server key).
CREATE SEQUENCE tunnel_agent_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE tunnel_agent (
    id              BIGINT        NOT NULL PRIMARY KEY,
    name            VARCHAR(64)   NOT NULL,
    token_hash      VARCHAR(64)   NOT NULL,
    allowed_targets VARCHAR(4000),
    enabled         BOOLEAN       NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT tunnel_agent_name_uq UNIQUE (name)
);
