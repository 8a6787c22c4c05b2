-- The history as an ordinary (rowid) table. As a WITHOUT ROWID table its
-- rows, mostly 0.3–2.5 kB of JSON snapshot, could keep only about 1 kB in
-- the B-tree page and spilled the rest into an overflow page of its own:
-- 2.3 kB of pages per version, 60% of them empty, which made the history
-- most of the database's size and most of an import's writing.
CREATE TABLE versions_new (
	kind TEXT NOT NULL,
	record_id TEXT NOT NULL,
	version INTEGER NOT NULL,
	at TIMESTAMP NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	changes TEXT NOT NULL,
	snapshot TEXT NOT NULL,
	UNIQUE (kind, record_id, version)
);
INSERT INTO versions_new (kind, record_id, version, at, actor, action, changes, snapshot)
	SELECT kind, record_id, version, at, actor, action, changes, snapshot FROM versions ORDER BY kind, record_id, version;
DROP TABLE versions;
ALTER TABLE versions_new RENAME TO versions;
