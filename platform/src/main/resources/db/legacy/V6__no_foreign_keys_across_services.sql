-- Services own their data: no foreign key crosses a service, and no service's SQL names another's
-- tables. A target keeps the digest of the image it serves (it found the blob through a join on
-- images); "is this image in use?" is asked of target-service and session-service on the bus, under
-- a cluster-wide lock per image that target creation takes too.
ALTER TABLE targets ADD COLUMN image_sha256 CHAR(64) CHECK (image_sha256 ~ '^[0-9a-f]{64}$');
-- The one time a statement reads across: copying what the join used to give into targets' own column.
UPDATE targets t SET image_sha256 = i.sha256 FROM images i WHERE i.id = t.image_id;
ALTER TABLE targets ALTER COLUMN image_sha256 SET NOT NULL;
ALTER TABLE targets DROP CONSTRAINT IF EXISTS targets_image_id_fkey;
ALTER TABLE sessions DROP CONSTRAINT IF EXISTS sessions_image_id_fkey;
CREATE INDEX sessions_image_active_idx ON sessions (image_id) WHERE state = 'ACTIVE';
