-- Statistics facts: the same table as SQLite's 0009_stat_facts.sql (see
-- there why), with the same rows, written by the same sqlstore code.
CREATE TABLE IF NOT EXISTS stat_facts (
	incident_rid BIGINT NOT NULL REFERENCES incidents (rid) ON DELETE CASCADE,
	vseq INTEGER NOT NULL,
	pseq INTEGER NOT NULL,
	person_rid BIGINT,
	role TEXT,
	outcome TEXT,
	perpetrator TEXT,
	type TEXT NOT NULL,
	admin1 TEXT NOT NULL,
	date_start TEXT NOT NULL,
	date_end TEXT NOT NULL,
	date_precision TEXT NOT NULL,
	date_estimated BOOLEAN NOT NULL,
	verification TEXT NOT NULL,
	merged_into TEXT NOT NULL,
	fatalities INTEGER NOT NULL,
	PRIMARY KEY (incident_rid, vseq, pseq)
);
CREATE INDEX IF NOT EXISTS stat_facts_type_place ON stat_facts (type, admin1, date_start)
	INCLUDE (date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, perpetrator, person_rid, incident_rid);
CREATE INDEX IF NOT EXISTS stat_facts_place ON stat_facts (admin1, date_start)
	INCLUDE (type, date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, perpetrator, person_rid, incident_rid);
CREATE INDEX IF NOT EXISTS stat_facts_date ON stat_facts (date_start)
	INCLUDE (type, admin1, date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, perpetrator, person_rid, incident_rid);
CREATE INDEX IF NOT EXISTS stat_facts_role ON stat_facts (role, type, date_start)
	INCLUDE (admin1, date_end, date_precision, date_estimated, verification, merged_into, fatalities, outcome, perpetrator, person_rid, incident_rid);
CREATE INDEX IF NOT EXISTS stat_facts_perpetrator ON stat_facts (perpetrator, admin1, date_start)
	INCLUDE (type, date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, person_rid, incident_rid);
DELETE FROM stat_facts; -- the migration can run again (a test re-runs those after 0005)
INSERT INTO stat_facts SELECT i.rid, COALESCE(v.seq, -1), COALESCE(p.seq, -1), v.person_rid, v.role, v.outcome, p.type,
	i.type, i.admin1, i.date_start, i.date_end, i.date_precision, i.date_estimated, i.verification, i.merged_into, i.fatalities
	FROM incidents i
	LEFT JOIN victims v ON v.incident_rid = i.rid
	LEFT JOIN (SELECT incident_rid, type, MIN(seq) AS seq FROM perpetrators GROUP BY incident_rid, type) p ON p.incident_rid = i.rid;
