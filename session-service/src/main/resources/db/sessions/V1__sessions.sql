-- session-service's schema: sessions and their leases. A session remembers the target it was given
-- (IQN, portal, LUN), so every view of it names the same address without asking target-service.
-- The state the shared history (db/legacy, V1–V11) left; a database made by it is baselined here.
CREATE TABLE sessions.sessions (
    id                UUID PRIMARY KEY,
    image_id          UUID        NOT NULL,
    target_id         UUID,
    initiator_iqn     TEXT        NOT NULL,
    owner             TEXT        NOT NULL,
    state             TEXT        NOT NULL CHECK (state IN ('ACTIVE', 'ENDED', 'EXPIRED', 'FAILED')),
    lease_expires_at  TIMESTAMPTZ NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    ended_at          TIMESTAMPTZ,
    target_iqn        TEXT,
    device_type       TEXT        NOT NULL DEFAULT 'disk' CHECK (device_type IN ('disk', 'cdrom')),
    target_portal     TEXT,
    target_lun        INTEGER     CHECK (target_lun BETWEEN 0 AND 16383)
);
CREATE INDEX sessions_owner_idx ON sessions.sessions (owner) WHERE state = 'ACTIVE';
CREATE INDEX sessions_active_idx ON sessions.sessions (state) WHERE state = 'ACTIVE';
CREATE INDEX sessions_image_active_idx ON sessions.sessions (image_id) WHERE state = 'ACTIVE';
