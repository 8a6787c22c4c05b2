-- Persons merged into another (docs/persons.md): what each merge moved,
-- so that it can be undone. The persons and incidents it changed have
-- their versions and audit entries, action "merge" or "unmerge".
CREATE TABLE person_merges (
	id TEXT PRIMARY KEY,
	from_id TEXT NOT NULL,
	into_id TEXT NOT NULL,
	merged_by TEXT NOT NULL,
	merged_at {{time}} NOT NULL,
	undone_by TEXT NOT NULL DEFAULT '',
	undone_at {{time}},
	aliases TEXT NOT NULL,
	moved TEXT NOT NULL
);
CREATE INDEX person_merges_from ON person_merges (from_id);
CREATE INDEX person_merges_into ON person_merges (into_id);
