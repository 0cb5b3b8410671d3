-- The first schema: what Foundation needs to store; later issues add their own migrations.

CREATE TABLE images (
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
CREATE INDEX images_name_idx ON images (lower(name));

CREATE TABLE targets (
    id             UUID PRIMARY KEY,
    iqn            TEXT        NOT NULL UNIQUE,
    image_id       UUID        NOT NULL REFERENCES images (id),
    initiator_iqn  TEXT        NOT NULL,
    device_type    TEXT        NOT NULL CHECK (device_type IN ('disk', 'cdrom')),
    chap_user      TEXT        NOT NULL,
    chap_secret    TEXT        NOT NULL,
    mutual_user    TEXT,
    mutual_secret  TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by     TEXT        NOT NULL
);
CREATE INDEX targets_image_idx ON targets (image_id);

CREATE TABLE sessions (
    id                UUID PRIMARY KEY,
    image_id          UUID        NOT NULL REFERENCES images (id),
    target_id         UUID,
    initiator_iqn     TEXT        NOT NULL,
    owner             TEXT        NOT NULL,
    state             TEXT        NOT NULL CHECK (state IN ('ACTIVE', 'ENDED', 'EXPIRED', 'FAILED')),
    lease_expires_at  TIMESTAMPTZ NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    ended_at          TIMESTAMPTZ
);
CREATE INDEX sessions_owner_idx ON sessions (owner) WHERE state = 'ACTIVE';

CREATE TABLE audit_events (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    type        TEXT        NOT NULL,
    actor       TEXT        NOT NULL,
    resource    TEXT,
    outcome     TEXT        NOT NULL,
    source_ip   TEXT,
    details     JSONB       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_type_idx ON audit_events (type, id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor, id);
