-- Running totals of the commitments by visibility and status (docs/counting.md,
-- "Commitment figures"), kept in the transaction of every commitment's write,
-- so that the figures read a handful of rows instead of every commitment.
-- created_by is the author of restricted commitments only ('' for the
-- others), since a reader counts their own restricted ones (store.Visible's
-- OwnedBy): a row per author of restricted commitments, not per author.
CREATE TABLE commitment_totals (
	visibility TEXT NOT NULL,
	status TEXT NOT NULL,
	created_by TEXT NOT NULL,
	n {{bigint}} NOT NULL CHECK (n >= 0),
	PRIMARY KEY (visibility, status, created_by)
);
INSERT INTO commitment_totals (visibility, status, created_by, n)
	SELECT visibility, status, CASE WHEN visibility = 'restricted' THEN created_by ELSE '' END, COUNT(*)
	FROM commitments
	GROUP BY visibility, status, CASE WHEN visibility = 'restricted' THEN created_by ELSE '' END;
-- Only the overdue commitments are still read one by one: pending, of one
-- visibility, due before a day, in the receipt's order (due day, day made,
-- rid), so that a page stops after its rows without sorting.
DROP INDEX commitments_status_due;
CREATE INDEX commitments_overdue ON commitments (status, visibility, due_on, made_on, rid);
