-- The Tor fleet (docs/tor.md): one settings row for the whole fleet, one row per tor node that a
-- Sluice server runs (each server runs its own tor processes and writes only its own rows), and the
-- exits the nodes had (for the rule that no exit IP repeats within the last K rotations).
CREATE TABLE tor_settings (
    id                         INTEGER      NOT NULL PRIMARY KEY,
    size                       INTEGER      NOT NULL,
    rotation_interval_seconds  INTEGER      NOT NULL,
    countries                  VARCHAR(1000),
    node_countries             VARCHAR(4000),
    extra_lines                VARCHAR(8000),
    no_repeat_window           INTEGER      NOT NULL,
    updated_at                 TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT tor_settings_one_ck CHECK (id = 1),
    CONSTRAINT tor_settings_size_ck CHECK (size >= 0 AND size <= 1000)
);
INSERT INTO tor_settings (id, size, rotation_interval_seconds, no_repeat_window, updated_at)
    VALUES (1, 0, 600, 20, CURRENT_TIMESTAMP);

CREATE SEQUENCE tor_node_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE tor_node (
    id                BIGINT       NOT NULL PRIMARY KEY,
    server            VARCHAR(128) NOT NULL,
    node_index        INTEGER      NOT NULL,
    state             VARCHAR(16)  NOT NULL,
    pid               BIGINT,
    socks_port        INTEGER,
    control_port      INTEGER,
    bootstrap_percent INTEGER      NOT NULL,
    countries         VARCHAR(200),
    exit_name         VARCHAR(128) NOT NULL,
    exit_ip           VARCHAR(64),
    exit_fingerprint  VARCHAR(64),
    exit_country      VARCHAR(8),
    rotation          VARCHAR(16)  NOT NULL,
    last_rotation_at  TIMESTAMP WITH TIME ZONE,
    restarts          INTEGER      NOT NULL,
    newnyms           BIGINT       NOT NULL,
    error             VARCHAR(2000),
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT tor_node_server_index_uq UNIQUE (server, node_index),
    CONSTRAINT tor_node_state_ck CHECK (state IN
        ('starting', 'bootstrapping', 'ready', 'rotating', 'failed', 'stopped'))
);

CREATE SEQUENCE tor_exit_seen_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE tor_exit_seen (
    id           BIGINT       NOT NULL PRIMARY KEY,
    server       VARCHAR(128) NOT NULL,
    node_index   INTEGER      NOT NULL,
    ip           VARCHAR(64)  NOT NULL,
    fingerprint  VARCHAR(64),
    country      VARCHAR(8),
    seen_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX tor_exit_seen_at_idx ON tor_exit_seen (seen_at);

-- Exits of kind tor (docs/tor.md): an upstream SOCKS5 on 127.0.0.1 whose port is unknown until
-- its tor listens (such an exit stays disabled).
ALTER TABLE exit_node DROP CONSTRAINT exit_node_kind_ck;
ALTER TABLE exit_node ADD CONSTRAINT exit_node_kind_ck CHECK (kind IN ('direct', 'socks5', 'http', 'tor'));
ALTER TABLE exit_node DROP CONSTRAINT exit_node_upstream_ck;
ALTER TABLE exit_node ADD CONSTRAINT exit_node_upstream_ck
    CHECK (kind IN ('direct', 'tor') OR (host IS NOT NULL AND port IS NOT NULL));
