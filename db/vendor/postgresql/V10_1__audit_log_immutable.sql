-- PostgreSQL only: the audit log cannot be changed. UPDATE is always rejected; DELETE only by
-- the retention job, which sets the transaction-local flag sluice.audit_retention = 'on'.
CREATE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('sluice.audit_retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only (% rejected)', TG_OP;
END;
$$;

CREATE TRIGGER audit_event_immutable
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard();
