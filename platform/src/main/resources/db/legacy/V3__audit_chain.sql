-- The audit log becomes tamper-evident: each row carries the SHA-256 of its own content and of the
-- previous row's hash, computed here in the database so that no writer can get it wrong, and rows
-- can never be changed or removed.

ALTER TABLE audit_events ADD COLUMN prev_hash CHAR(64);
ALTER TABLE audit_events ADD COLUMN hash CHAR(64);

-- The canonical content of a row: a JSON array, so that no two rows can serialize alike.
CREATE FUNCTION audit_row_hash(id BIGINT, at TIMESTAMPTZ, type TEXT, actor TEXT, resource TEXT, outcome TEXT,
                               source_ip TEXT, details JSONB, prev_hash TEXT) RETURNS CHAR(64)
LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(jsonb_build_array(
        id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), type, actor,
        coalesce(resource, ''), outcome, coalesce(source_ip, ''), details, prev_hash)::text, 'UTF8')), 'hex')
$$;

-- One writer at a time takes the next id and links to the row before it, so the chain order is
-- the id order even with concurrent writers.
CREATE FUNCTION audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    previous CHAR(64);
BEGIN
    PERFORM pg_advisory_xact_lock(7243001);
    NEW.id := nextval(pg_get_serial_sequence('audit_events', 'id'));
    SELECT hash INTO previous FROM audit_events ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := coalesce(previous, repeat('0', 64));
    NEW.hash := audit_row_hash(NEW.id, NEW.at, NEW.type, NEW.actor, NEW.resource, NEW.outcome, NEW.source_ip,
                               NEW.details, NEW.prev_hash);
    RETURN NEW;
END
$$;

-- Rows written before this migration join the chain in id order.
DO $$
DECLARE
    r RECORD;
    previous CHAR(64) := repeat('0', 64);
BEGIN
    FOR r IN SELECT * FROM audit_events ORDER BY id LOOP
        UPDATE audit_events
           SET prev_hash = previous,
               hash = audit_row_hash(r.id, r.at, r.type, r.actor, r.resource, r.outcome, r.source_ip, r.details,
                                     previous)
         WHERE id = r.id
        RETURNING hash INTO previous;
    END LOOP;
END
$$;

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_chain();

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP;
END
$$;

CREATE TRIGGER audit_events_immutable BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

ALTER TABLE audit_events ALTER COLUMN prev_hash SET NOT NULL;
ALTER TABLE audit_events ALTER COLUMN hash SET NOT NULL;
