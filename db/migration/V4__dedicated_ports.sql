-- Dedicated ports: one user, one listener port, one sticky exit. The primary key (one row per
-- user) and the unique port make concurrent get-or-assign calls on several nodes race-free.
CREATE TABLE dedicated_assignment (
    user_id    BIGINT  NOT NULL PRIMARY KEY,
    port       INTEGER NOT NULL,
    exit_id    BIGINT,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT dedicated_assignment_port_uq UNIQUE (port),
    CONSTRAINT dedicated_assignment_user_fk FOREIGN KEY (user_id) REFERENCES proxy_user (id) ON DELETE CASCADE,
    CONSTRAINT dedicated_assignment_exit_fk FOREIGN KEY (exit_id) REFERENCES exit_node (id) ON DELETE SET NULL
);
