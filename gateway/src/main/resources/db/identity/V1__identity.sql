-- Identity, kept by the gateway: users (passwords only as PBKDF2-HMAC-SHA256 hashes with a salt per
-- user), revocations of all of a user's tokens (deleted, password changed) and of single tokens
-- (POST /auth/logout, until they would expire).
-- The state the shared history (db/legacy, V1–V11) left; a database made by it is baselined here.
CREATE TABLE identity.users (
    username             TEXT PRIMARY KEY CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    password_hash        TEXT        NOT NULL,
    roles                TEXT[]      NOT NULL CHECK (roles <@ ARRAY['admin', 'operator', 'user', 'auditor']
                                                     AND cardinality(roles) > 0),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by           TEXT        NOT NULL,
    password_changed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE identity.token_revocations (
    username    TEXT        PRIMARY KEY,
    revoked_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE identity.revoked_tokens (
    jti         TEXT        PRIMARY KEY CHECK (length(jti) BETWEEN 1 AND 64),
    expires_at  TIMESTAMPTZ NOT NULL
);
