-- target-service's schema: the targets it wants to exist. A target keeps the digest of the image it
-- serves, so finding the blob needs no other service's table.
-- The state the shared history (db/legacy, V1–V11) left; a database made by it is baselined here.
CREATE TABLE targets.targets (
    id             UUID PRIMARY KEY,
    iqn            TEXT        NOT NULL UNIQUE,
    image_id       UUID        NOT NULL,
    initiator_iqn  TEXT        NOT NULL,
    device_type    TEXT        NOT NULL CHECK (device_type IN ('disk', 'cdrom')),
    chap_user      TEXT        NOT NULL,
    chap_secret    TEXT        NOT NULL,
    mutual_user    TEXT,
    mutual_secret  TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by     TEXT        NOT NULL,
    image_sha256   CHAR(64)    NOT NULL CHECK (image_sha256 ~ '^[0-9a-f]{64}$')
);
CREATE INDEX targets_image_idx ON targets.targets (image_id);
