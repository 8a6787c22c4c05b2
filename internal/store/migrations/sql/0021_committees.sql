-- Investigative committees (package kinds: Committee). Lists are JSON text.
CREATE TABLE committees (
	rid {{rid}},
	id TEXT NOT NULL UNIQUE,
	name_ar TEXT NOT NULL DEFAULT '',
	name_en TEXT NOT NULL DEFAULT '',
	formed_by_type TEXT NOT NULL,
	formed_by TEXT NOT NULL DEFAULT '',
	formed_on TEXT NOT NULL,
	mandate TEXT NOT NULL DEFAULT '',
	incidents TEXT NOT NULL DEFAULT '[]',
	reported BOOLEAN NOT NULL DEFAULT {{false}},
	reported_on TEXT NOT NULL DEFAULT '',
	findings TEXT NOT NULL DEFAULT '',
	sources TEXT NOT NULL DEFAULT '[]',
	visibility TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	search_text TEXT NOT NULL DEFAULT ''
);
