-- audit-service: a keyed seal per audit row. seal(n) = HMAC-SHA256(key, seal(n-1) || hash(n)), with a
-- key kept in audit-service's data directory, never in the database: whoever can rewrite the rows
-- and recompute their SHA-256 chain still cannot make seals that verify.
CREATE TABLE audit_seals (
    event_id BIGINT PRIMARY KEY,
    seal     CHAR(64) NOT NULL CHECK (seal ~ '^[0-9a-f]{64}$')
);

CREATE TRIGGER audit_seals_immutable BEFORE UPDATE OR DELETE ON audit_seals
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
