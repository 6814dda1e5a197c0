-- Tunnel mappings: a public Sluice port relayed through an agent to a host:port on its side.
-- The unique public port makes concurrent allocations on several nodes race-free.
CREATE SEQUENCE tunnel_mapping_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE tunnel_mapping (
    id              BIGINT        NOT NULL PRIMARY KEY,
    agent_id        BIGINT        NOT NULL,
    target_host     VARCHAR(255)  NOT NULL,
    target_port     INTEGER       NOT NULL,
    public_port     INTEGER       NOT NULL,
    allowed_sources VARCHAR(4000),
    bandwidth_bps   BIGINT        NOT NULL,
    max_connections INTEGER       NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT tunnel_mapping_port_uq UNIQUE (public_port),
    CONSTRAINT tunnel_mapping_agent_fk FOREIGN KEY (agent_id) REFERENCES tunnel_agent (id) ON DELETE CASCADE,
    CONSTRAINT tunnel_mapping_target_port_ck CHECK (target_port BETWEEN 1 AND 65535)
);
