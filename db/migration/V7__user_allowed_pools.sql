-- Pools a proxy user may name in the username (comma-separated names; NULL: any pool).
ALTER TABLE proxy_user ADD COLUMN allowed_pools VARCHAR(4000);
