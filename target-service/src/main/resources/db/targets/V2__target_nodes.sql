-- Several target nodes: each row names the node that serves it and the start of that node's process
-- (incarnation) it was made on. A node that starts again removes the rows of its earlier starts, and
-- rows from before this migration (NULL), since the targets they describe died with that process.
ALTER TABLE targets.targets ADD COLUMN node TEXT;
ALTER TABLE targets.targets ADD COLUMN incarnation UUID;
CREATE INDEX targets_node_idx ON targets.targets (node);
