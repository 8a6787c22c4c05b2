-- Statistics (package stats): the incident indexes also cover every column
-- a count reads, so counting a million incidents reads index pages only,
-- never the incidents' rows with their texts. Each index keeps the order of
-- the one it replaces, rid included (the old ones ended with the rowid),
-- so lists sorted by date use them as before.
DROP INDEX incidents_type_place;
CREATE INDEX incidents_type_place ON incidents (type, admin1, date_start, rid,
	date_end, date_precision, date_estimated, verification, merged_into, fatalities, visibility);
DROP INDEX incidents_place;
CREATE INDEX incidents_place ON incidents (admin1, date_start, rid,
	type, date_end, date_precision, date_estimated, verification, merged_into, fatalities, visibility);
DROP INDEX incidents_date;
CREATE INDEX incidents_date ON incidents (date_start, rid,
	type, admin1, date_end, date_precision, date_estimated, verification, merged_into, fatalities, visibility);
