-- Evidence files (metadata; the encrypted files live under evidence/ in the
-- data directory) and their chain of custody.
CREATE TABLE evidence (
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
CREATE INDEX evidence_parent ON evidence (parent_kind, parent_id);

CREATE TABLE custody (
	rid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	evidence_id TEXT NOT NULL REFERENCES evidence (id),
	at TIMESTAMPTZ NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX custody_evidence ON custody (evidence_id);
