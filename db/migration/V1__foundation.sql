-- Sluice foundation schema: admin accounts, proxy users, server-held keys.
-- Written in the SQL subset shared by PostgreSQL and H2 (MODE=PostgreSQL).
-- Ids come from sequences (not IDENTITY columns) so EclipseLink works on both databases;
-- allocation size 50 matches @SequenceGenerator(allocationSize = 50); EclipseLink reads a
-- sequence value as the LAST id of its block, so sequences start at 50 (first block 1..50).

CREATE SEQUENCE admin_account_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE admin_account (
    id                       BIGINT       NOT NULL PRIMARY KEY,
    username                 VARCHAR(64)  NOT NULL,
    password_hash            VARCHAR(255) NOT NULL,
    role                     VARCHAR(16)  NOT NULL,
    enabled                  BOOLEAN      NOT NULL,
    password_change_required BOOLEAN      NOT NULL,
    created_at               TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at               TIMESTAMP WITH TIME ZONE NOT NULL,
    last_login_at            TIMESTAMP WITH TIME ZONE,
    version                  BIGINT       NOT NULL,
    CONSTRAINT admin_account_username_uq UNIQUE (username),
    CONSTRAINT admin_account_role_ck CHECK (role IN ('admin', 'viewer'))
);

CREATE SEQUENCE proxy_user_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE proxy_user (
    id                     BIGINT        NOT NULL PRIMARY KEY,
    username               VARCHAR(64)   NOT NULL,
    secret_enc             VARCHAR(512)  NOT NULL,
    enabled                BOOLEAN       NOT NULL,
    expires_at             TIMESTAMP WITH TIME ZONE,
    max_connections        INTEGER       NOT NULL,
    bandwidth_up_bps       BIGINT        NOT NULL,
    bandwidth_down_bps     BIGINT        NOT NULL,
    connections_per_minute INTEGER       NOT NULL,
    allowed_sources        VARCHAR(4000),
    allowed_destinations   VARCHAR(4000),
    note                   VARCHAR(500),
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    version                BIGINT        NOT NULL,
    CONSTRAINT proxy_user_username_uq UNIQUE (username),
    CONSTRAINT proxy_user_limits_ck CHECK (max_connections >= 0 AND bandwidth_up_bps >= 0
        AND bandwidth_down_bps >= 0 AND connections_per_minute >= 0)
);

-- Keys shared by every node: the JWT signing key pair (encrypted with SLUICE_SECRET_KEY) and a
-- check value proving that the configured server key is the one the data was encrypted with.
CREATE TABLE server_key (
    name       VARCHAR(64)   NOT NULL PRIMARY KEY,
    value_enc  VARCHAR(8000) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
