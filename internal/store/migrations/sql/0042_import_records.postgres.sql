-- The records an import created, committed to by its one audit entry
-- (docs/audit.md, "Imports"); as the SQLite migration, which keeps the
-- table without a rowid.
CREATE TABLE import_records (
	kind TEXT NOT NULL,
	record_id TEXT NOT NULL,
	import_id TEXT NOT NULL,
	leaf BIGINT NOT NULL,
	at TEXT NOT NULL,
	digest TEXT NOT NULL,
	PRIMARY KEY (kind, record_id)
);
CREATE UNIQUE INDEX import_records_leaf ON import_records (import_id, leaf);
