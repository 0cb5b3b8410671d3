-- A session remembers which target it was given, so listing it needs no call to target-service.
ALTER TABLE sessions ADD COLUMN target_iqn TEXT;
ALTER TABLE sessions ADD COLUMN device_type TEXT NOT NULL DEFAULT 'disk' CHECK (device_type IN ('disk', 'cdrom'));
CREATE INDEX sessions_active_idx ON sessions (state) WHERE state = 'ACTIVE';
