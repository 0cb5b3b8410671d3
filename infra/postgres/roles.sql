-- Roles for discs on a PostgreSQL server of your own (run once, as a superuser, with psql):
--   psql -v owner_password="'…'" -v app_password="'…'" -f infra/postgres/roles.sql
-- then start discs with
--   DISCS_DB_OWNER_URL=postgresql://discs_owner:…@host:5432/discs   (migrations; owns the tables)
--   DISCS_DB_URL=postgresql://discs_app:…@host:5432/discs           (what the services connect as)
-- After each migration discs grants discs_app what the services need and nothing more: rows of
-- its tables, but on the audit log (audit_events, audit_seals) only INSERT and SELECT; it owns
-- nothing, so it cannot alter a table or switch a trigger off. The standalone's embedded
-- PostgreSQL sets up the same two roles by itself (postgres and discs_app).

CREATE ROLE discs_owner LOGIN PASSWORD :owner_password;
CREATE ROLE discs_app LOGIN PASSWORD :app_password;
CREATE DATABASE discs OWNER discs_owner;
\connect discs
-- PostgreSQL 15 no longer lets every role create objects in public; older servers do.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO discs_owner;
GRANT CONNECT ON DATABASE discs TO discs_app;
