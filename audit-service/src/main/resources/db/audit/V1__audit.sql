-- audit-service's schema: the audit log, tamper-evident. Each row carries the SHA-256 of its own
-- content and of the previous row's hash, computed here in the database so that no writer can get it
-- wrong; a keyed seal per row (seal(n) = HMAC-SHA256(key, seal(n-1) || hash(n)), the key in
-- audit-service's data directory, never here); rows can never be changed or removed.
-- The state the shared history (db/legacy, V1–V11) left; a database made by it is baselined here.
CREATE TABLE audit.audit_events (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    type        TEXT        NOT NULL,
    actor       TEXT        NOT NULL,
    resource    TEXT,
    outcome     TEXT        NOT NULL,
    source_ip   TEXT,
    details     JSONB       NOT NULL DEFAULT '{}'::jsonb,
    prev_hash   CHAR(64)    NOT NULL,
    hash        CHAR(64)    NOT NULL
);
CREATE INDEX audit_events_type_idx ON audit.audit_events (type, id);
CREATE INDEX audit_events_actor_idx ON audit.audit_events (actor, id);

-- The canonical content of a row: a JSON array, so that no two rows can serialize alike.
CREATE FUNCTION audit.audit_row_hash(id BIGINT, at TIMESTAMPTZ, type TEXT, actor TEXT, resource TEXT, outcome TEXT,
                               source_ip TEXT, details JSONB, prev_hash TEXT) RETURNS CHAR(64)
LANGUAGE sql IMMUTABLE SET search_path = audit, pg_temp AS $$
    SELECT encode(sha256(convert_to(jsonb_build_array(
        id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), type, actor,
        coalesce(resource, ''), outcome, coalesce(source_ip, ''), details, prev_hash)::text, 'UTF8')), 'hex')
$$;

-- One writer at a time takes the next id and links to the row before it, so the chain order is
-- the id order even with concurrent writers. Tables are named unqualified: they resolve in audit.
CREATE FUNCTION audit.audit_chain() RETURNS trigger LANGUAGE plpgsql SET search_path = audit, pg_temp AS $$
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

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit.audit_events FOR EACH ROW EXECUTE FUNCTION audit.audit_chain();

CREATE FUNCTION audit.audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP;
END
$$;

CREATE TRIGGER audit_events_immutable BEFORE UPDATE OR DELETE ON audit.audit_events
    FOR EACH ROW EXECUTE FUNCTION audit.audit_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit.audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit.audit_refuse_change();

CREATE TABLE audit.audit_seals (
    event_id BIGINT PRIMARY KEY,
    seal     CHAR(64) NOT NULL CHECK (seal ~ '^[0-9a-f]{64}$')
);

CREATE TRIGGER audit_seals_immutable BEFORE UPDATE OR DELETE ON audit.audit_seals
    FOR EACH ROW EXECUTE FUNCTION audit.audit_refuse_change();
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit.audit_seals
    FOR EACH STATEMENT EXECUTE FUNCTION audit.audit_refuse_change();
