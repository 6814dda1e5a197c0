-- Refresh tokens of admin logins, stored as SHA-256 hashes. Each login starts a family; a
-- refresh uses up its token and issues the next one in the same family. Presenting a used or
-- revoked token revokes the whole family (token theft detection).
CREATE TABLE refresh_token (
    token_hash  VARCHAR(64)  NOT NULL PRIMARY KEY,
    family      VARCHAR(40)  NOT NULL,
    username    VARCHAR(64)  NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX refresh_token_family_idx ON refresh_token (family);
CREATE INDEX refresh_token_user_idx ON refresh_token (username);
