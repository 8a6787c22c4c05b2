-- Search finds names across spellings and scripts, Arabic words without
-- their clitics and plural endings, records by the labels of their
-- vocabulary terms and places in every language, and by external ids
-- (docs/search.md). The index holds other words than before: the Go step
-- of this migration (search_names in goSteps, sqlstore/db.go) writes every
-- incident's and person's search text again.
SELECT 1;
