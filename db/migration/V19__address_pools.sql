-- VM address pools. No row per free address: IPv4 free numbers are ranges in
-- address_free_range (the next address is an index seek on (pool_id, first_num)); every held
-- or quarantined address is one address_allocation row whose primary key (pool_id, address) is
-- the last guard against a duplicate. Allocations of one pool are serialised by a row lock on
-- address_pool (SELECT ... FOR UPDATE), which also keeps used_count and quarantined_count.
CREATE SEQUENCE address_pool_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE address_pool (
    id                 BIGINT        NOT NULL PRIMARY KEY,
    name               VARCHAR(100)  NOT NULL,
    family             INTEGER       NOT NULL,
    tier               VARCHAR(100)  NOT NULL,
    reuse_hold_seconds BIGINT        NOT NULL,
    reserved           VARCHAR(4000) NOT NULL,
    used_count         BIGINT        NOT NULL,
    quarantined_count  BIGINT        NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT address_pool_name_uq UNIQUE (name),
    CONSTRAINT address_pool_family_ck CHECK (family IN (4, 6)),
    CONSTRAINT address_pool_hold_ck CHECK (reuse_hold_seconds >= 0)
);

CREATE SEQUENCE address_prefix_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE address_prefix (
    id            BIGINT       NOT NULL PRIMARY KEY,
    pool_id       BIGINT       NOT NULL,
    cidr          VARCHAR(64)  NOT NULL,
    family        INTEGER      NOT NULL,
    prefix_length INTEGER      NOT NULL,
    gateway       VARCHAR(64)  NOT NULL,
    usable        BIGINT       NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT address_prefix_cidr_uq UNIQUE (cidr),
    CONSTRAINT address_prefix_pool_fk FOREIGN KEY (pool_id) REFERENCES address_pool (id) ON DELETE CASCADE
);

CREATE INDEX address_prefix_pool_ix ON address_prefix (pool_id);

CREATE TABLE address_free_range (
    pool_id   BIGINT NOT NULL,
    first_num BIGINT NOT NULL,
    last_num  BIGINT NOT NULL,
    CONSTRAINT address_free_range_pk PRIMARY KEY (pool_id, first_num),
    CONSTRAINT address_free_range_pool_fk FOREIGN KEY (pool_id) REFERENCES address_pool (id) ON DELETE CASCADE,
    CONSTRAINT address_free_range_ck CHECK (first_num <= last_num)
);

CREATE TABLE address_allocation (
    pool_id      BIGINT      NOT NULL,
    prefix_id    BIGINT      NOT NULL,
    address      VARCHAR(64) NOT NULL,
    address_num  BIGINT,
    vm_id        BIGINT      NOT NULL,
    allocated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    released_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT address_allocation_pk PRIMARY KEY (pool_id, address),
    CONSTRAINT address_allocation_pool_fk FOREIGN KEY (pool_id) REFERENCES address_pool (id) ON DELETE CASCADE
);

CREATE INDEX address_allocation_prefix_ix ON address_allocation (prefix_id);
CREATE INDEX address_allocation_released_ix ON address_allocation (pool_id, released_at);
