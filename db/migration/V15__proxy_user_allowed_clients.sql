-- Per-user proxy client whitelist: CIDRs the user may connect from at all (NULL: anywhere).
ALTER TABLE proxy_user ADD COLUMN allowed_clients VARCHAR(4000);
