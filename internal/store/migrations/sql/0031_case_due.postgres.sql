-- A protection case's next check-in day: see 0031_case_due.sqlite.sql.
ALTER TABLE protection_cases ADD COLUMN due_on TEXT NOT NULL DEFAULT '';
UPDATE protection_cases SET due_on = CASE WHEN status = 'closed' OR checkin_every <= 0 THEN ''
	ELSE GREATEST(to_char(GREATEST(last_checkin, opened_on)::date + checkin_every, 'YYYY-MM-DD'), schedule_since) END;
CREATE INDEX protection_cases_due ON protection_cases (due_on);
