-- Saved column mappings of spreadsheet imports (docs/spreadsheets.md): an
-- organisation's mapping for a partner's sheets, by name, as the JSON
-- file of the command line. Saving and deleting one are audited.
CREATE TABLE sheet_mappings (
	name TEXT PRIMARY KEY,
	mapping TEXT NOT NULL,
	saved_by TEXT NOT NULL,
	saved_at {{time}} NOT NULL
);
