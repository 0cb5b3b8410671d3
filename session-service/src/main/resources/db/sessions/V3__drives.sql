-- Drives: a session whose target is a drive, kept by heartbeats like a mount, whose disc changes
-- while it lives. Its image is the disc put in last (none while empty); the drive's target row
-- (targets.targets) says what is in it now.
ALTER TABLE sessions.sessions ADD COLUMN drive BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE sessions.sessions ALTER COLUMN image_id DROP NOT NULL;
ALTER TABLE sessions.sessions ADD CONSTRAINT sessions_disc_named CHECK (drive OR image_id IS NOT NULL);
