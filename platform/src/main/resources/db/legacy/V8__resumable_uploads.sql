-- image-service: resumable (tus) uploads. The bytes live in the image store's resumable folder;
-- this row is what survives a restart: how far the upload got and what it is to become.
CREATE TABLE resumable_uploads (
    id               UUID PRIMARY KEY,
    owner            TEXT        NOT NULL,
    name             TEXT        NOT NULL CHECK (octet_length(name) BETWEEN 1 AND 255),
    length           BIGINT      NOT NULL CHECK (length > 0),
    received         BIGINT      NOT NULL DEFAULT 0 CHECK (received BETWEEN 0 AND length),
    expected_sha256  CHAR(64)    CHECK (expected_sha256 ~ '^[0-9a-f]{64}$'),
    image_id         UUID,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX resumable_uploads_expires_idx ON resumable_uploads (expires_at);
CREATE INDEX resumable_uploads_owner_idx ON resumable_uploads (owner);
