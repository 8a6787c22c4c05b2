-- The blocking table again (docs/duplicates.md, "Blocking"), rebuilt: each
-- row now says whether the incident's span is wider than one day (wide),
-- so that a lookup reads the rows of one-day spans over its window only
-- and not the 30 days before it that a piece of a wider span may start
-- in, and carries the incident's perpetrator types (perps, space
-- separated), so that `rasd duplicates` reads every incident it compares
-- from this table and the victims', never from the incidents' rows. The
-- rows are derived data: the table is made again here and the Go step
-- name_keys_again fills it from every incident, as migration 0040 first
-- did.
DROP TABLE incident_name_keys;
CREATE TABLE incident_name_keys (
	incident_rid {{bigint}} NOT NULL REFERENCES incidents (rid) ON DELETE CASCADE,
	piece INTEGER NOT NULL,
	admin1 TEXT NOT NULL,
	name_key TEXT NOT NULL,
	wide INTEGER NOT NULL,
	day TEXT NOT NULL,
	last TEXT NOT NULL,
	incident_id TEXT NOT NULL,
	type TEXT NOT NULL,
	date_start TEXT NOT NULL,
	date_end TEXT NOT NULL,
	date_precision TEXT NOT NULL,
	district TEXT NOT NULL,
	lat {{real}},
	lon {{real}},
	perps TEXT NOT NULL
);
CREATE INDEX incident_name_keys_lookup ON incident_name_keys (admin1, name_key, wide, day, last, incident_id,
	type, date_start, date_end, date_precision, district, lat, lon, perps);
CREATE INDEX incident_name_keys_incident ON incident_name_keys (incident_rid);
