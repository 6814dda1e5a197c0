-- Failed admin logins per account and per source address, for brute-force lockout shared by all nodes.
CREATE TABLE login_attempt (
    attempt_key  VARCHAR(200) NOT NULL PRIMARY KEY,
    failures     INTEGER      NOT NULL,
    window_start TIMESTAMP WITH TIME ZONE NOT NULL,
    locked_until TIMESTAMP WITH TIME ZONE
);
