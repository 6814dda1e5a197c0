-- VMs: one row per VM with its IPv4 (and optional dedicated IPv6) address as allocated from an
-- address pool (V19), and the VM's sessions. A VM belongs to a proxy user and goes with it.
-- vm ids are taken with nextval() before the row exists (the allocator records the VM id with each
-- address), so vm_seq counts in ones; vm_session ids come from EclipseLink (blocks of 50).
CREATE SEQUENCE vm_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE vm (
    id                 BIGINT       NOT NULL PRIMARY KEY,
    user_id            BIGINT       NOT NULL,
    name               VARCHAR(64)  NOT NULL,
    type               VARCHAR(16)  NOT NULL,
    state              VARCHAR(16)  NOT NULL,
    ipv4_pool_id       BIGINT       NOT NULL,
    ipv4_address       VARCHAR(15)  NOT NULL,
    ipv4_prefix_length INTEGER      NOT NULL,
    ipv4_gateway       VARCHAR(15),
    ipv6_pool_id       BIGINT,
    ipv6_address       VARCHAR(39),
    ipv6_prefix_length INTEGER,
    ipv6_gateway       VARCHAR(39),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT vm_user_fk FOREIGN KEY (user_id) REFERENCES proxy_user (id) ON DELETE CASCADE,
    CONSTRAINT vm_type_ck CHECK (type IN ('cli', 'browser')),
    CONSTRAINT vm_state_ck CHECK (state IN ('active', 'stopped')),
    CONSTRAINT vm_ipv6_ck CHECK ((ipv6_pool_id IS NULL) = (ipv6_address IS NULL)),
    -- last guard behind the allocator: one VM per address
    CONSTRAINT vm_ipv4_uq UNIQUE (ipv4_pool_id, ipv4_address),
    CONSTRAINT vm_ipv6_uq UNIQUE (ipv6_pool_id, ipv6_address)
);

CREATE INDEX vm_user_idx ON vm (user_id);
CREATE INDEX vm_type_state_idx ON vm (type, state);

CREATE SEQUENCE vm_session_seq START WITH 50 INCREMENT BY 50;

-- A session outlives its VM (vm_id becomes NULL) so that completed sessions stay counted; a
-- session whose VM is gone counts as completed.
CREATE TABLE vm_session (
    id         BIGINT NOT NULL PRIMARY KEY,
    vm_id      BIGINT,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT vm_session_vm_fk FOREIGN KEY (vm_id) REFERENCES vm (id) ON DELETE SET NULL,
    CONSTRAINT vm_session_span_ck CHECK (ended_at IS NULL OR ended_at >= started_at)
);

CREATE INDEX vm_session_vm_idx ON vm_session (vm_id);
