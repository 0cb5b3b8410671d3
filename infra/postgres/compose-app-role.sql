-- For infra/compose.yaml: the services' role, beside the owner the postgres image creates
-- (POSTGRES_USER). Its password must match DISCS_APP_PASSWORD there; change both.
CREATE ROLE discs_app LOGIN PASSWORD 'change-me-app';
GRANT CONNECT ON DATABASE discs TO discs_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
