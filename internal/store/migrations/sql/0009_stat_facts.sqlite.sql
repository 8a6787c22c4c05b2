-- Statistics facts (package stats, sqlstore/stats.go): one row per victim
-- and perpetrator type of every incident (one row with NULLs when it has
-- none), carrying a copy of the incident's counted columns. A count with
-- victim or perpetrator filters then reads one index instead of looking
-- up each candidate incident's victims and perpetrators (5-10 µs each on
-- the encrypted store: 0.1-0.5 s over a million incidents). sqlstore
-- rewrites an incident's rows in the same transaction as every write of
-- the incident (Tx.writeFacts), from the stored rows, so they cannot
-- drift from them.
CREATE TABLE IF NOT EXISTS stat_facts (
	incident_rid INTEGER NOT NULL REFERENCES incidents (rid) ON DELETE CASCADE,
	vseq INTEGER NOT NULL,          -- victims.seq, -1 for none
	pseq INTEGER NOT NULL,          -- first perpetrators.seq of the type, -1 for none
	person_rid INTEGER,             -- NULL: no victim
	role TEXT,
	outcome TEXT,
	perpetrator TEXT,               -- NULL: no perpetrator
	type TEXT NOT NULL,
	admin1 TEXT NOT NULL,
	date_start TEXT NOT NULL,
	date_end TEXT NOT NULL,
	date_precision TEXT NOT NULL,
	date_estimated INTEGER NOT NULL,
	verification TEXT NOT NULL,
	merged_into TEXT NOT NULL,
	fatalities INTEGER NOT NULL,
	PRIMARY KEY (incident_rid, vseq, pseq)
) WITHOUT ROWID;
-- Each index covers every column a count reads (the primary key is in
-- every index of a WITHOUT ROWID table), keyed as the incident indexes of
-- 0004 are, plus one led by the victim's role and one by the perpetrator's
-- type, so that those filters read only their own facts.
CREATE INDEX IF NOT EXISTS stat_facts_type_place ON stat_facts (type, admin1, date_start,
	date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, perpetrator, person_rid);
CREATE INDEX IF NOT EXISTS stat_facts_place ON stat_facts (admin1, date_start,
	type, date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, perpetrator, person_rid);
CREATE INDEX IF NOT EXISTS stat_facts_date ON stat_facts (date_start,
	type, admin1, date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, perpetrator, person_rid);
CREATE INDEX IF NOT EXISTS stat_facts_role ON stat_facts (role, type, date_start,
	admin1, date_end, date_precision, date_estimated, verification, merged_into, fatalities, outcome, perpetrator, person_rid);
CREATE INDEX IF NOT EXISTS stat_facts_perpetrator ON stat_facts (perpetrator, admin1, date_start,
	type, date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, person_rid);
DELETE FROM stat_facts; -- the migration can run again (a test re-runs those after 0005)
INSERT INTO stat_facts SELECT i.rid, COALESCE(v.seq, -1), COALESCE(p.seq, -1), v.person_rid, v.role, v.outcome, p.type,
	i.type, i.admin1, i.date_start, i.date_end, i.date_precision, i.date_estimated, i.verification, i.merged_into, i.fatalities
	FROM incidents i
	LEFT JOIN victims v ON v.incident_rid = i.rid
	LEFT JOIN (SELECT incident_rid, type, MIN(seq) AS seq FROM perpetrators GROUP BY incident_rid, type) p ON p.incident_rid = i.rid;
