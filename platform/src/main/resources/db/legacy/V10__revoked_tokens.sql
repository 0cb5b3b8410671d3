-- gateway: single tokens revoked by their holder (POST /auth/logout), until they would expire.
CREATE TABLE revoked_tokens (
    jti         TEXT        PRIMARY KEY CHECK (length(jti) BETWEEN 1 AND 64),
    expires_at  TIMESTAMPTZ NOT NULL
);
