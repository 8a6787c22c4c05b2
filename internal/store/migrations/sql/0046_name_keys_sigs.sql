-- The blocking table once more (docs/duplicates.md, "Blocking"), rebuilt
-- with sigs: on a victim's name key's row, the mask of the signatures of
-- the other words of the names holding that key (names.Companions), so
-- that a lookup keeps on the index alone the rows whose names could be
-- alike, where it returned every row sharing one word (a given name
-- common in a governorate over a year is thousands of rows). 0 on the
-- other rows. Derived data: made again here, and the Go step
-- name_keys_sigs fills it from every incident (0044's step then writes
-- nothing).
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
	perps TEXT NOT NULL,
	sigs {{bigint}} NOT NULL
);
CREATE INDEX incident_name_keys_lookup ON incident_name_keys (admin1, name_key, wide, day, last, incident_id,
	type, date_start, date_end, date_precision, district, lat, lon, perps, sigs);
CREATE INDEX incident_name_keys_incident ON incident_name_keys (incident_rid);
