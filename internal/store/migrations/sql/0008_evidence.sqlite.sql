-- Evidence files (metadata; the encrypted files live under evidence/ in the
-- data directory) and their chain of custody. IF NOT EXISTS: a repair may
-- re-run migrations past an earlier number (see TestVocabMigration).
CREATE TABLE IF NOT EXISTS evidence (
	rid INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	parent_kind TEXT NOT NULL CHECK (parent_kind IN ('incident', 'person')),
	parent_id TEXT NOT NULL,
	blob TEXT NOT NULL UNIQUE,
	sha256 TEXT NOT NULL,
	size INTEGER NOT NULL,
	type TEXT NOT NULL,
	name_sealed BLOB NOT NULL,
	created_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS evidence_parent ON evidence (parent_kind, parent_id);

CREATE TABLE IF NOT EXISTS custody (
	rid INTEGER PRIMARY KEY,
	evidence_id TEXT NOT NULL REFERENCES evidence (id),
	at TIMESTAMP NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS custody_evidence ON custody (evidence_id);
