-- A commitment's due day and current status, written with it (functions
-- of its fields: docs/counting.md, "Commitment figures"), so that the
-- figures are counts over an index rather than every commitment read.
-- due_on is '' where there is no deadline; status is 'pending' where the
-- history is sealed (a restricted record's) or empty. The Go step
-- commitment_due fills them in for the commitments stored before.
ALTER TABLE commitments ADD COLUMN due_on TEXT NOT NULL DEFAULT '';
ALTER TABLE commitments ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
CREATE INDEX commitments_status_due ON commitments (status, due_on, visibility);
