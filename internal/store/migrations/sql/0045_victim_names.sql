-- Each incident's victims' compared names in one row (docs/duplicates.md,
-- "Blocking"), so that a lookup on save reads the names of the candidates
-- that could still pair in one index range each, and not the incident's
-- row, its victims' rows and their persons' rows (three random reads
-- each). names is a JSON array of the compared names in the victims'
-- order; a row is written wherever the blocking rows are, and for the
-- same incidents: none for a restricted or merged one, and no restricted
-- person's name, whose names are sealed. No row for an incident naming no
-- one. Derived data: the Go step victim_names fills it from every incident.
CREATE TABLE incident_victim_names (
	incident_rid {{bigint}} PRIMARY KEY REFERENCES incidents (rid) ON DELETE CASCADE,
	incident_id TEXT NOT NULL,
	names TEXT NOT NULL
);
CREATE INDEX incident_victim_names_id ON incident_victim_names (incident_id, names);
