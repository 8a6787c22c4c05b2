-- Duplicate detection's blocking table (docs/duplicates.md, "Blocking"):
-- for each incident that is neither restricted nor merged into another
-- (a merge and its undoing rewrite the rows), one row per piece of its
-- span (at most 31 days from day; last is the span's last day) and per
-- key: each name key of its victims' compared names (names.BlockKeys;
-- restricted persons' names are sealed and left out), "" when it names
-- none, and "#" and its type. A candidate or a pair is read only when the
-- two share a key. Each row repeats what scores the incident's date and
-- place, so that a lookup reads one index range and no incident row. Written in the transaction of every write of an
-- incident, as its search text, which holds the same name keys; the Go
-- step incident_name_keys fills it for the incidents stored before.
CREATE TABLE incident_name_keys (
	incident_rid {{bigint}} NOT NULL REFERENCES incidents (rid) ON DELETE CASCADE,
	piece INTEGER NOT NULL,
	admin1 TEXT NOT NULL,
	day TEXT NOT NULL,
	last TEXT NOT NULL,
	name_key TEXT NOT NULL,
	incident_id TEXT NOT NULL,
	type TEXT NOT NULL,
	date_start TEXT NOT NULL,
	date_end TEXT NOT NULL,
	date_precision TEXT NOT NULL,
	district TEXT NOT NULL,
	lat {{real}},
	lon {{real}}
);
CREATE INDEX incident_name_keys_lookup ON incident_name_keys (admin1, name_key, day, last, incident_id,
	type, date_start, date_end, date_precision, district, lat, lon);
CREATE INDEX incident_name_keys_incident ON incident_name_keys (incident_rid);
