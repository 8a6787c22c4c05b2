-- The records an import created, committed to by its one audit entry
-- (action "import", kind "import", record_id the import's ID, digest the
-- Merkle root of its records' leaves; docs/audit.md, "Imports"). A
-- record created by an import has no version of its own until it is first
-- changed: the record as stored is its version 1, and this row holds the
-- digest of that version, its time and its leaf's place in the import's
-- tree. Without a rowid: the table is its primary key, as versions is.
CREATE TABLE import_records (
	kind TEXT NOT NULL,
	record_id TEXT NOT NULL,
	import_id TEXT NOT NULL,
	leaf INTEGER NOT NULL,
	at TEXT NOT NULL,
	digest TEXT NOT NULL,
	PRIMARY KEY (kind, record_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX import_records_leaf ON import_records (import_id, leaf);
