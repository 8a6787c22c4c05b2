-- Evidence files (metadata; the encrypted files live under evidence/ in the
-- data directory) and their chain of custody.
CREATE TABLE evidence (
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
CREATE INDEX evidence_parent ON evidence (parent_kind, parent_id);

CREATE TABLE custody (
	rid INTEGER PRIMARY KEY,
	evidence_id TEXT NOT NULL REFERENCES evidence (id),
	at TIMESTAMP NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX custody_evidence ON custody (evidence_id);
