-- Tokens issued to a user before a revocation (the user deleted, the password changed) are void.
-- Gateways keep the recent ones in cluster-wide shared data and load them from here at start, so a
-- restart does not bring a deleted user's token back to life.
CREATE TABLE token_revocations (
    username    TEXT        PRIMARY KEY,
    revoked_at  TIMESTAMPTZ NOT NULL
);
