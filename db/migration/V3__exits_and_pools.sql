-- Exits (ways out to the internet) and pools of exits with a selection strategy.
-- Upstream credentials are sealed with the server key (AES-GCM) and never returned by the API.

CREATE SEQUENCE exit_node_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE exit_node (
    id            BIGINT        NOT NULL PRIMARY KEY,
    name          VARCHAR(128)  NOT NULL,
    kind          VARCHAR(16)   NOT NULL,
    host          VARCHAR(255),
    port          INTEGER,
    username      VARCHAR(255),
    password_enc  VARCHAR(1024),
    local_address VARCHAR(64),
    country       VARCHAR(2),
    enabled       BOOLEAN       NOT NULL,
    state         VARCHAR(16)   NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    version       BIGINT        NOT NULL,
    CONSTRAINT exit_node_name_uq UNIQUE (name),
    CONSTRAINT exit_node_kind_ck CHECK (kind IN ('direct', 'socks5', 'http')),
    CONSTRAINT exit_node_state_ck CHECK (state IN ('healthy', 'suspect', 'unhealthy')),
    CONSTRAINT exit_node_port_ck CHECK (port IS NULL OR (port BETWEEN 1 AND 65535)),
    CONSTRAINT exit_node_upstream_ck CHECK (kind = 'direct' OR (host IS NOT NULL AND port IS NOT NULL))
);

CREATE SEQUENCE exit_pool_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE exit_pool (
    id                 BIGINT       NOT NULL PRIMARY KEY,
    name               VARCHAR(64)  NOT NULL,
    strategy           VARCHAR(32)  NOT NULL,
    fallback_pool_id   BIGINT,
    sticky_ttl_minutes INTEGER      NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    version            BIGINT       NOT NULL,
    CONSTRAINT exit_pool_name_uq UNIQUE (name),
    CONSTRAINT exit_pool_fallback_fk FOREIGN KEY (fallback_pool_id) REFERENCES exit_pool (id) ON DELETE SET NULL
);

CREATE TABLE exit_pool_member (
    pool_id BIGINT NOT NULL,
    exit_id BIGINT NOT NULL,
    PRIMARY KEY (pool_id, exit_id),
    CONSTRAINT exit_pool_member_pool_fk FOREIGN KEY (pool_id) REFERENCES exit_pool (id) ON DELETE CASCADE,
    CONSTRAINT exit_pool_member_exit_fk FOREIGN KEY (exit_id) REFERENCES exit_node (id) ON DELETE CASCADE
);

ALTER TABLE proxy_user ADD COLUMN default_pool_id BIGINT;
ALTER TABLE proxy_user ADD CONSTRAINT proxy_user_pool_fk FOREIGN KEY (default_pool_id) REFERENCES exit_pool (id) ON DELETE SET NULL;
