-- rasd schema for SQLite. Times are TIMESTAMP (RFC 3339 text); dates are
-- YYYY-MM-DD text, which sorts and compares correctly.
CREATE TABLE incidents (
	rid INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	code TEXT NOT NULL UNIQUE,
	type TEXT NOT NULL,
	date_start TEXT NOT NULL,
	date_end TEXT NOT NULL,
	date_precision TEXT NOT NULL,
	date_estimated BOOLEAN NOT NULL DEFAULT 0,
	country TEXT NOT NULL,
	admin1 TEXT NOT NULL,
	district TEXT NOT NULL DEFAULT '',
	locality TEXT NOT NULL DEFAULT '',
	lat REAL,
	lon REAL,
	geo_precision TEXT NOT NULL DEFAULT '',
	fatalities INTEGER NOT NULL DEFAULT 0 CHECK (fatalities >= 0),
	summary_en TEXT NOT NULL DEFAULT '',
	summary_ar TEXT NOT NULL DEFAULT '',
	narrative_en TEXT NOT NULL DEFAULT '',
	narrative_ar TEXT NOT NULL DEFAULT '',
	verification TEXT NOT NULL,
	motive_link TEXT NOT NULL DEFAULT '',
	visibility TEXT NOT NULL CHECK (visibility IN ('public', 'internal', 'restricted')),
	consent BOOLEAN NOT NULL DEFAULT 0,
	tags TEXT NOT NULL DEFAULT '[]',
	merged_into TEXT NOT NULL DEFAULT '',
	ext_system TEXT,
	ext_id TEXT,
	ext_original TEXT,
	version INTEGER NOT NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX incidents_external ON incidents (ext_system, ext_id) WHERE ext_system IS NOT NULL;
CREATE INDEX incidents_date ON incidents (date_start);
CREATE INDEX incidents_type_place ON incidents (type, admin1, date_start);
CREATE INDEX incidents_place ON incidents (admin1, date_start);

CREATE TABLE perpetrators (
	incident_rid INTEGER NOT NULL REFERENCES incidents (rid) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	type TEXT NOT NULL,
	grp TEXT NOT NULL DEFAULT '',
	modus TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (incident_rid, seq)
) WITHOUT ROWID;

CREATE TABLE persons (
	rid INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	name_ar TEXT NOT NULL DEFAULT '',
	name_latin TEXT NOT NULL DEFAULT '',
	aliases TEXT NOT NULL DEFAULT '[]',
	gender TEXT NOT NULL DEFAULT '',
	birth_year INTEGER NOT NULL DEFAULT 0,
	roles TEXT NOT NULL DEFAULT '[]',
	affiliations TEXT NOT NULL DEFAULT '[]',
	home_admin1 TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT '',
	risk_level TEXT NOT NULL DEFAULT '',
	visibility TEXT NOT NULL CHECK (visibility IN ('public', 'internal', 'restricted')),
	consent BOOLEAN NOT NULL DEFAULT 0,
	version INTEGER NOT NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL
);

CREATE TABLE victims (
	incident_rid INTEGER NOT NULL REFERENCES incidents (rid) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	person_rid INTEGER NOT NULL REFERENCES persons (rid),
	role TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL,
	PRIMARY KEY (incident_rid, seq)
) WITHOUT ROWID;
CREATE INDEX victims_person ON victims (person_rid);

CREATE TABLE organisations (
	rid INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	name_ar TEXT NOT NULL DEFAULT '',
	name_en TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL,
	status TEXT NOT NULL,
	notes TEXT NOT NULL DEFAULT '',
	visibility TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL
);

CREATE TABLE sources (
	rid INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	type TEXT NOT NULL,
	reliability TEXT NOT NULL CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
	label TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL
);

CREATE TABLE information (
	rid INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	incident_rid INTEGER NOT NULL REFERENCES incidents (rid) ON DELETE CASCADE,
	source_rid INTEGER NOT NULL REFERENCES sources (rid),
	credibility INTEGER NOT NULL CHECK (credibility BETWEEN 1 AND 6),
	obtained_on TEXT NOT NULL DEFAULT '',
	summary TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL
);
CREATE INDEX information_incident ON information (incident_rid);

CREATE TABLE versions (
	kind TEXT NOT NULL,
	record_id TEXT NOT NULL,
	version INTEGER NOT NULL,
	at TIMESTAMP NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	changes TEXT NOT NULL,
	snapshot TEXT NOT NULL,
	PRIMARY KEY (kind, record_id, version)
) WITHOUT ROWID;

CREATE TABLE audit_log (
	seq INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	kind TEXT NOT NULL,
	record_id TEXT NOT NULL,
	version INTEGER NOT NULL,
	digest TEXT NOT NULL,
	prev TEXT NOT NULL,
	hash TEXT NOT NULL
);

CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq INTEGER NOT NULL,
	hash TEXT NOT NULL,
	mac TEXT NOT NULL
);

CREATE TABLE code_counters (
	prefix TEXT PRIMARY KEY,
	next INTEGER NOT NULL
);

-- Contentless full-text indexes over text normalised in Go (package
-- textnorm); porter adds English stemming, prefix queries do the rest.
CREATE VIRTUAL TABLE incident_fts USING fts5 (body, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE person_fts USING fts5 (body, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2');
