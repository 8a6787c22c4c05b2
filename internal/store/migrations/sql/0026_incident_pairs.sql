-- Decisions on pairs of incidents proposed as duplicates
-- (docs/duplicates.md): "merge" (a_id merged into b_id, which then counts
-- once; undone_at set when undone) and "distinct" (not the same event:
-- never proposed again; a_id < b_id). The incident a merge changes has a
-- version and an audit entry of its own, action "merge" or "unmerge".
CREATE TABLE incident_pairs (
	id TEXT PRIMARY KEY,
	decision TEXT NOT NULL,
	a_id TEXT NOT NULL,
	b_id TEXT NOT NULL,
	decided_by TEXT NOT NULL,
	decided_at {{time}} NOT NULL,
	undone_by TEXT NOT NULL DEFAULT '',
	undone_at {{time}}
);
CREATE INDEX incident_pairs_a ON incident_pairs (a_id);
CREATE INDEX incident_pairs_b ON incident_pairs (b_id);
