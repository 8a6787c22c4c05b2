-- Statistics (package stats): the incident indexes also cover every column
-- a count reads, so counts can be answered by index-only scans. The key
-- columns are those of the indexes replaced.
DROP INDEX incidents_type_place;
CREATE INDEX incidents_type_place ON incidents (type, admin1, date_start)
	INCLUDE (date_end, date_precision, date_estimated, verification, merged_into, fatalities, visibility);
DROP INDEX incidents_place;
CREATE INDEX incidents_place ON incidents (admin1, date_start)
	INCLUDE (type, date_end, date_precision, date_estimated, verification, merged_into, fatalities, visibility);
DROP INDEX incidents_date;
CREATE INDEX incidents_date ON incidents (date_start)
	INCLUDE (type, admin1, date_end, date_precision, date_estimated, verification, merged_into, fatalities, visibility);
