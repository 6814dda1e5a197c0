-- PostgreSQL only: prefixes of all pools may not overlap (the service checks first; this is the
-- guard when two admins add overlapping prefixes at once). Same-pool supernets replace the
-- prefixes they cover in one transaction: the covered rows are deleted before the insert.
ALTER TABLE address_prefix ADD COLUMN net cidr GENERATED ALWAYS AS (CAST(cidr AS cidr)) STORED;

ALTER TABLE address_prefix ADD CONSTRAINT address_prefix_no_overlap
    EXCLUDE USING gist (net inet_ops WITH &&);
