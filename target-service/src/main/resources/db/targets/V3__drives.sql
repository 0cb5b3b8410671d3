-- Drives: a target whose disc changes while it lives (the embedded backend's). Its image is the disc
-- in it now, none while it is empty; every other target always names its image.
ALTER TABLE targets.targets ADD COLUMN drive BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE targets.targets ALTER COLUMN image_id DROP NOT NULL;
ALTER TABLE targets.targets ALTER COLUMN image_sha256 DROP NOT NULL;
ALTER TABLE targets.targets ADD CONSTRAINT targets_disc_named
    CHECK (drive OR (image_id IS NOT NULL AND image_sha256 IS NOT NULL));
ALTER TABLE targets.targets ADD CONSTRAINT targets_disc_whole
    CHECK ((image_id IS NULL) = (image_sha256 IS NULL));
