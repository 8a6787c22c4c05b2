-- The murders (accountability.IsMurder) with their impunity class, kept in
-- the transaction of every write of an incident or a judicial step
-- (docs/counting.md, "Impunity figures"), so that the impunity figures
-- are one grouped count. Each row copies its incident's counted columns
-- under the names stat_facts gives them, so the counting conditions hold
-- of a row exactly when they hold of its incident. class_open is derived
-- from the public and internal steps, class_all from every step. The Go
-- step impunity fills the table for the incidents stored before.
CREATE TABLE impunity (
	incident_rid {{bigint}} NOT NULL PRIMARY KEY REFERENCES incidents (rid) ON DELETE CASCADE,
	type TEXT NOT NULL,
	admin1 TEXT NOT NULL,
	country TEXT NOT NULL,
	date_start TEXT NOT NULL,
	date_end TEXT NOT NULL,
	date_precision TEXT NOT NULL,
	date_estimated BOOLEAN NOT NULL,
	verification TEXT NOT NULL,
	merged_into TEXT NOT NULL,
	visibility TEXT NOT NULL,
	class_open TEXT NOT NULL,
	class_all TEXT NOT NULL
);
CREATE INDEX impunity_date ON impunity (date_start);
