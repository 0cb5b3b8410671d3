-- After every migration of a service's schema (${schema}), when the services connect as a role of
-- their own (${appRole}, empty when they use the owner's): that role may read and write rows, but
-- owns nothing, so it cannot alter a table or disable a trigger.
DO $$
BEGIN
    IF '${appRole}' <> '' AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', '${schema}', '${appRole}');
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', '${schema}', '${appRole}');
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', '${schema}', '${appRole}');
        EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO %I', '${schema}', '${appRole}');
        -- Before PostgreSQL 15 every role may create objects in public: not the services' role.
        BEGIN
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE WARNING 'cannot revoke CREATE on schema public from PUBLIC: run infra/postgres/roles.sql';
        END;
    END IF;
END
$$;
