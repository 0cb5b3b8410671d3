-- After the grants every schema gets (db/grants): on the audit log the services' role may only add
-- and read rows.
DO $$
BEGIN
    IF '${appRole}' <> '' AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit.audit_events, audit.audit_seals FROM %I', '${appRole}');
    END IF;
END
$$;
