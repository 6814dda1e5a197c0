-- The exit fingerprint a tor node is pinned to until its next rotation (docs/tor.md "Rotation"),
-- null while it is not pinned.
ALTER TABLE tor_node ADD COLUMN exit_pinned VARCHAR(64);
