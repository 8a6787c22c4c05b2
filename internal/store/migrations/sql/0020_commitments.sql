-- Official responses and promises (package kinds: Commitment;
-- docs/counting.md, "Commitments and deadlines"). Lists are JSON text.
CREATE TABLE commitments (
	rid {{rid}},
	id TEXT NOT NULL UNIQUE,
	authority_type TEXT NOT NULL,
	authority TEXT NOT NULL DEFAULT '',
	made_on TEXT NOT NULL,
	kind TEXT NOT NULL,
	promise_ar TEXT NOT NULL DEFAULT '',
	promise_en TEXT NOT NULL DEFAULT '',
	deadline_date TEXT NOT NULL DEFAULT '',
	deadline_duration TEXT NOT NULL DEFAULT '',
	status_history TEXT NOT NULL DEFAULT '[]',
	incidents TEXT NOT NULL DEFAULT '[]',
	persons TEXT NOT NULL DEFAULT '[]',
	sources TEXT NOT NULL DEFAULT '[]',
	visibility TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	search_text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX commitments_made_on ON commitments (made_on, rid);
