-- image-service's schema: the images it stores and the resumable (tus) uploads on their way in.
-- The state the shared history (db/legacy, V1–V11) left; a database made by it is baselined here.
CREATE TABLE images.images (
    id          UUID PRIMARY KEY,
    name        TEXT        NOT NULL CHECK (octet_length(name) BETWEEN 1 AND 255),
    size_bytes  BIGINT      NOT NULL CHECK (size_bytes > 0),
    sha256      CHAR(64)    NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    format      TEXT        NOT NULL CHECK (format IN ('iso9660', 'udf')),
    volume_id   TEXT,
    bootable    BOOLEAN     NOT NULL DEFAULT FALSE,
    details     JSONB       NOT NULL DEFAULT '{}'::jsonb,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by  TEXT        NOT NULL
);
CREATE INDEX images_name_idx ON images.images (lower(name));

-- The bytes live in the image store's resumable folder; this row is what survives a restart: how
-- far the upload got and what it is to become.
CREATE TABLE images.resumable_uploads (
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
CREATE INDEX resumable_uploads_expires_idx ON images.resumable_uploads (expires_at);
CREATE INDEX resumable_uploads_owner_idx ON images.resumable_uploads (owner);
