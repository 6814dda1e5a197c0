-- The cluster event log: a change made through one node (a proxy user disabled, deleted, its
-- password rotated ...) is appended here and every other node applies it when it polls (about
-- every 250 ms). Ids come from a sequence, so readers see them in order; rows are purged after
-- an hour.
CREATE SEQUENCE cluster_event_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE cluster_event (
    id         BIGINT       NOT NULL PRIMARY KEY,
    origin     VARCHAR(64)  NOT NULL,
    kind       VARCHAR(40)  NOT NULL,
    subject_id BIGINT,
    subject    VARCHAR(255),
    detail     VARCHAR(255),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX cluster_event_created_idx ON cluster_event (created_at);

-- Every node registers itself and renews its heartbeat every few seconds (GET /api/v1/nodes):
-- a node whose heartbeat is older than 15 s is shown as not alive; rows of nodes gone for a day
-- are deleted.
CREATE TABLE cluster_node (
    id            VARCHAR(64)   NOT NULL PRIMARY KEY,
    name          VARCHAR(255)  NOT NULL,
    version       VARCHAR(64)   NOT NULL,
    advertise_url VARCHAR(500)  NOT NULL,
    listeners     VARCHAR(2000),
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
