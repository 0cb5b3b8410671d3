-- Which target node (and which start of it) serves a session's target, so a session whose node
-- restarts or leaves the cluster ends FAILED; and why a session ended when its owner did not end it.
ALTER TABLE sessions.sessions ADD COLUMN target_node TEXT;
ALTER TABLE sessions.sessions ADD COLUMN target_incarnation UUID;
ALTER TABLE sessions.sessions ADD COLUMN reason TEXT;
