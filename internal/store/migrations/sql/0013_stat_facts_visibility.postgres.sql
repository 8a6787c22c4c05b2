-- The statistics facts carry their incident's visibility: the same change
-- as SQLite's (see there why), with the
-- indexes of 0009 made again with the column.
DROP INDEX IF EXISTS stat_facts_type_place;
DROP INDEX IF EXISTS stat_facts_place;
DROP INDEX IF EXISTS stat_facts_date;
DROP INDEX IF EXISTS stat_facts_role;
DROP INDEX IF EXISTS stat_facts_perpetrator;
ALTER TABLE stat_facts ADD COLUMN IF NOT EXISTS visibility TEXT NOT NULL DEFAULT 'restricted';
UPDATE stat_facts f SET visibility = i.visibility FROM incidents i WHERE i.rid = f.incident_rid;
CREATE INDEX IF NOT EXISTS stat_facts_type_place ON stat_facts (type, admin1, date_start)
	INCLUDE (date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, perpetrator, person_rid, incident_rid, visibility);
CREATE INDEX IF NOT EXISTS stat_facts_place ON stat_facts (admin1, date_start)
	INCLUDE (type, date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, perpetrator, person_rid, incident_rid, visibility);
CREATE INDEX IF NOT EXISTS stat_facts_date ON stat_facts (date_start)
	INCLUDE (type, admin1, date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, perpetrator, person_rid, incident_rid, visibility);
CREATE INDEX IF NOT EXISTS stat_facts_role ON stat_facts (role, type, date_start)
	INCLUDE (admin1, date_end, date_precision, date_estimated, verification, merged_into, fatalities, outcome, perpetrator, person_rid, incident_rid, visibility);
CREATE INDEX IF NOT EXISTS stat_facts_perpetrator ON stat_facts (perpetrator, admin1, date_start)
	INCLUDE (type, date_end, date_precision, date_estimated, verification, merged_into, fatalities, role, outcome, person_rid, incident_rid, visibility);
CREATE INDEX IF NOT EXISTS incidents_restricted ON incidents (created_by) INCLUDE (rid) WHERE visibility = 'restricted';
