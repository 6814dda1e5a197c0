-- Totals of each tunnel mapping, added to by every node's periodic flush (additive UPDATEs), so
-- they survive restarts and sum over nodes.
ALTER TABLE tunnel_mapping ADD COLUMN total_connections BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE tunnel_mapping ADD COLUMN bytes_in BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE tunnel_mapping ADD COLUMN bytes_out BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE tunnel_mapping ADD COLUMN errors BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE tunnel_mapping ADD COLUMN last_activity_at TIMESTAMP WITH TIME ZONE;
