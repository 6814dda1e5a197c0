-- Which Sluice server ran a health check (docs/exits.md "Several nodes"): a tor exit is checked
-- only by the server that runs its tor, every other exit by the exit-monitor lease holder (or the
-- server an admin asked).
ALTER TABLE exit_check ADD COLUMN checked_by VARCHAR(128);
