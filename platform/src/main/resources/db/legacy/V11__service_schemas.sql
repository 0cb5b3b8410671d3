-- Each service's tables in a schema of its own, so that whose a table is shows in every query
-- (images.images, targets.targets, …) and grants can follow service lines. Sequences, indexes and
-- triggers move with their tables.
CREATE SCHEMA images;
CREATE SCHEMA targets;
CREATE SCHEMA sessions;
CREATE SCHEMA audit;
CREATE SCHEMA identity;

ALTER TABLE public.images SET SCHEMA images;
ALTER TABLE public.resumable_uploads SET SCHEMA images;
ALTER TABLE public.targets SET SCHEMA targets;
ALTER TABLE public.sessions SET SCHEMA sessions;
ALTER TABLE public.audit_events SET SCHEMA audit;
ALTER TABLE public.audit_seals SET SCHEMA audit;
ALTER TABLE public.users SET SCHEMA identity;
ALTER TABLE public.token_revocations SET SCHEMA identity;
ALTER TABLE public.revoked_tokens SET SCHEMA identity;

ALTER FUNCTION public.audit_row_hash(BIGINT, TIMESTAMPTZ, TEXT, TEXT, TEXT, TEXT, TEXT, JSONB, TEXT)
    SET SCHEMA audit;
ALTER FUNCTION public.audit_chain() SET SCHEMA audit;
ALTER FUNCTION public.audit_refuse_change() SET SCHEMA audit;
-- The trigger functions name their tables and each other unqualified: they resolve in audit.
ALTER FUNCTION audit.audit_chain() SET search_path = audit, pg_temp;
ALTER FUNCTION audit.audit_row_hash(BIGINT, TIMESTAMPTZ, TEXT, TEXT, TEXT, TEXT, TEXT, JSONB, TEXT)
    SET search_path = audit, pg_temp;
