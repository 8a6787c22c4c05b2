-- The dashboard's backlog counts, for each verification status, the
-- incidents its reader may see, and the incident list filtered by status
-- counts them too: by verification, then visibility and, for a reader's
-- own restricted incidents, created_by. The index had only the first of
-- these, so each count read every incident's row of that status: 6 s of
-- CPU for the dashboard at 1,000,000 incidents (BENCHMARKS.md, "The
-- dashboard at 1,000,000"). With the other two the count reads the index
-- alone, as the statistics' counts do theirs.
DROP INDEX incidents_verification;
CREATE INDEX incidents_verification ON incidents (verification, date_start, visibility, created_by);
