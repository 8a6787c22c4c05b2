-- Evidence files (metadata; the encrypted files live under evidence/ in the
-- data directory) and their chain of custody. IF NOT EXISTS: a repair may
-- re-run migrations past an earlier number (see TestVocabMigration).
CREATE TABLE IF NOT EXISTS evidence (
	rid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	parent_kind TEXT NOT NULL CHECK (parent_kind IN ('incident', 'person')),
	parent_id TEXT NOT NULL,
	blob TEXT NOT NULL UNIQUE,
	sha256 TEXT NOT NULL,
	size BIGINT NOT NULL,
	type TEXT NOT NULL,
	name_sealed BYTEA NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	created_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS evidence_parent ON evidence (parent_kind, parent_id);

CREATE TABLE IF NOT EXISTS custody (
	rid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	evidence_id TEXT NOT NULL REFERENCES evidence (id),
	at TIMESTAMPTZ NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS custody_evidence ON custody (evidence_id);
