-- What a figure may reveal (docs/counting.md): a figure for a reader who
-- may not list every restricted incident leaves out those they may not
-- list (sqlstore/stats.go, readerCond). So the statistics facts carry
-- their incident's visibility too, read from the same covering indexes as
-- every other condition of a count: the five indexes of 0009 are made
-- again with it. Rows written before get their incident's visibility
-- here; the default, which the store never writes, is the one that counts
-- for the fewest readers.
DROP INDEX IF EXISTS stat_facts_type_place;
DROP INDEX IF EXISTS stat_facts_place;
DROP INDEX IF EXISTS stat_facts_date;
DROP INDEX IF EXISTS stat_facts_role;
DROP INDEX IF EXISTS stat_facts_perpetrator;
ALTER TABLE stat_facts ADD COLUMN visibility TEXT NOT NULL DEFAULT 'restricted';
UPDATE stat_facts SET visibility = (SELECT i.visibility FROM incidents i WHERE i.rid = stat_facts.incident_rid);
CREATE INDEX IF NOT EXISTS stat_facts_type_place ON stat_facts (type, admin1, date_start,
	date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, perpetrator, person_rid, visibility);
CREATE INDEX IF NOT EXISTS stat_facts_place ON stat_facts (admin1, date_start,
	type, date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, perpetrator, person_rid, visibility);
CREATE INDEX IF NOT EXISTS stat_facts_date ON stat_facts (date_start,
	type, admin1, date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, perpetrator, person_rid, visibility);
CREATE INDEX IF NOT EXISTS stat_facts_role ON stat_facts (role, type, date_start,
	admin1, date_end, date_precision, date_estimated, verification, merged_into, fatalities, outcome, perpetrator, person_rid, visibility);
CREATE INDEX IF NOT EXISTS stat_facts_perpetrator ON stat_facts (perpetrator, admin1, date_start,
	type, date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, person_rid, visibility);
-- A reader's own restricted incidents, which count for them: a partial
-- index holding only restricted incidents, by author (the rowid is rid).
CREATE INDEX IF NOT EXISTS incidents_restricted ON incidents (created_by) WHERE visibility = 'restricted';
