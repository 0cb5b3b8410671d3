-- A session keeps the portal and LUN its target was served at, so every view of it (the answer to
-- POST /sessions, GET /sessions) names the same LUN: the one the backend serves (0 embedded, 1 tgt).
ALTER TABLE sessions ADD COLUMN target_portal TEXT;
ALTER TABLE sessions ADD COLUMN target_lun INTEGER CHECK (target_lun BETWEEN 0 AND 16383);
