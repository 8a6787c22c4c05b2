-- A protection case's next check-in day (docs/protection.md, "The board"),
-- kept beside it so that the board is one query sorted in SQL. The store
-- computes it on every write of the case (kinds.CaseDueOn): the schedule's
-- days after the last check-in or the opening day, never before the day
-- the schedule was set, "" for a closed case. It is made of columns that
-- are already in the clear (opened_on, checkin_every, schedule_since,
-- last_checkin): it tells whoever holds the database nothing more.
ALTER TABLE protection_cases ADD COLUMN due_on TEXT NOT NULL DEFAULT '';
UPDATE protection_cases SET due_on = CASE WHEN status = 'closed' OR checkin_every <= 0 THEN ''
	ELSE max(date(max(last_checkin, opened_on), '+' || checkin_every || ' days'), schedule_since) END;
CREATE INDEX protection_cases_due ON protection_cases (due_on);
