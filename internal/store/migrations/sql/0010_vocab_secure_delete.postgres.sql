-- Nothing to do on PostgreSQL: the search vocabulary and its FTS5 index
-- are SQLite's alone (see 0005).
SELECT 1;
