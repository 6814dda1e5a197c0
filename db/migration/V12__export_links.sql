-- Export links: proxy lists downloadable without a login until they expire or are revoked.
CREATE TABLE export_link (
    id          VARCHAR(40)  NOT NULL PRIMARY KEY,
    scope       VARCHAR(16)  NOT NULL,
    pool        VARCHAR(64),
    format      VARCHAR(8)   NOT NULL,
    bind_cidr   VARCHAR(64),
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    created_by  VARCHAR(128),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    downloads   BIGINT       NOT NULL,
    CONSTRAINT export_link_scope_ck CHECK (scope IN ('users', 'pools', 'dedicated')),
    CONSTRAINT export_link_format_ck CHECK (format IN ('txt', 'csv', 'json'))
);
