-- Providers: a commercial proxy service's host, credentials and port range, one exit per port.
CREATE SEQUENCE provider_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE provider (
    id                BIGINT        NOT NULL PRIMARY KEY,
    name              VARCHAR(64)   NOT NULL,
    kind              VARCHAR(16)   NOT NULL,
    host              VARCHAR(255)  NOT NULL,
    port_from         INTEGER       NOT NULL,
    port_to           INTEGER       NOT NULL,
    username          VARCHAR(255),
    password_enc      VARCHAR(1024),
    country           VARCHAR(2),
    check_url         VARCHAR(2000),
    checks_per_second INTEGER       NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    version           BIGINT        NOT NULL,
    CONSTRAINT provider_name_uq UNIQUE (name),
    CONSTRAINT provider_kind_ck CHECK (kind IN ('socks5', 'http')),
    CONSTRAINT provider_range_ck CHECK (port_from BETWEEN 1 AND 65535 AND port_to BETWEEN port_from AND 65535)
);

ALTER TABLE exit_node ADD COLUMN provider_id BIGINT;
ALTER TABLE exit_node ADD COLUMN retired BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE exit_node ADD CONSTRAINT exit_node_provider_fk FOREIGN KEY (provider_id) REFERENCES provider (id) ON DELETE SET NULL;
ALTER TABLE exit_node ADD CONSTRAINT exit_node_provider_port_uq UNIQUE (provider_id, port);
