-- The judicial track of incidents, a dated step a row (package kinds:
-- JudicialStep; docs/counting.md, "Impunity"). incident is the incident's
-- ID, as every Ref field keeps it.
CREATE TABLE judicial_steps (
	rid {{rid}},
	id TEXT NOT NULL UNIQUE,
	incident TEXT NOT NULL,
	step TEXT NOT NULL,
	date TEXT NOT NULL,
	person TEXT NOT NULL DEFAULT '',
	who TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	sources TEXT NOT NULL DEFAULT '[]',
	visibility TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	search_text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX judicial_steps_incident ON judicial_steps (incident, date, rid);
