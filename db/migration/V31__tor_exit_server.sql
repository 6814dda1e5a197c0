-- Exits of kind tor belong to the Sluice server that runs their tor process (docs/tor.md): their
-- 127.0.0.1:port is only right there, so every other server leaves them out of its exit selection.
ALTER TABLE exit_node ADD COLUMN tor_server VARCHAR(128);
