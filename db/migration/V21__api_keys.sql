-- API keys of automation clients (service accounts): long-lived access tokens with a scoped
-- role. The token itself is shown once and never stored; only its SHA-256 hash is. A revoked key
-- keeps its row (and its name) so the audit log's "key:<name>" actor stays unambiguous.
CREATE SEQUENCE api_key_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE api_key (
    id            BIGINT       NOT NULL PRIMARY KEY,
    name          VARCHAR(64)  NOT NULL,
    role          VARCHAR(32)  NOT NULL,
    token_hash    VARCHAR(64)  NOT NULL,
    created_by    VARCHAR(128),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    last_used_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_key_name_uq UNIQUE (name),
    CONSTRAINT api_key_token_hash_uq UNIQUE (token_hash)
);
