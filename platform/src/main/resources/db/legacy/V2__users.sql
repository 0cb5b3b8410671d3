-- Users of the API. Passwords are stored only as PBKDF2-HMAC-SHA256 hashes with a salt per user.
CREATE TABLE users (
    username             TEXT PRIMARY KEY CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    password_hash        TEXT        NOT NULL,
    roles                TEXT[]      NOT NULL CHECK (roles <@ ARRAY['admin', 'operator', 'user', 'auditor']
                                                     AND cardinality(roles) > 0),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by           TEXT        NOT NULL,
    password_changed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
