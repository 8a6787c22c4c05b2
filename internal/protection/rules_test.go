package protection_test

import (
	"errors"
	"testing"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// Each bad input of docs/protection.md is refused with a message naming
// its field, and nothing of it is stored.
func TestBadInput(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		s, u := f.svc, f.member
		c := must(s.Cases.Save(f.ctx, u, nil, form(kinds.ProtectionCase, "person", f.person.ID, "risk_level", "high",
			"status", "open", "opened_on", "2026-01-05", "checkin_every", "7"), f.seal))
		closedP := f.newPerson("Closed Case")
		closed := must(s.Cases.Save(f.ctx, u, nil, form(kinds.ProtectionCase, "person", closedP.ID, "risk_level", "low",
			"status", "closed", "opened_on", "2025-01-05", "checkin_every", "7"), f.seal))
		l := must(s.Lists.Save(f.ctx, u, nil, form(kinds.HitList, "name", "Memo", "appeared_on", "2025-06-01"), f.seal))
		must(s.Entries.Save(f.ctx, u, nil, form(kinds.HitListEntry, "list_id", l.ID, "name_written", "S. E.",
			"person", f.person.ID), f.seal))

		count := func(name string) int {
			var total int
			var err error
			switch name {
			case "case":
				_, total, err = s.Cases.List(f.ctx, u, "", 50, 0)
			case "checkin":
				_, total, err = s.CheckIns.List(f.ctx, u, "", 50, 0)
			case "entry":
				_, total, err = s.Entries.List(f.ctx, u, "", 50, 0)
			case "threat":
				_, total, err = s.Threats.List(f.ctx, u, "", 50, 0)
			}
			if err != nil {
				t.Fatal(err)
			}
			return total
		}
		for _, bad := range []struct {
			name, kind, field, key string
			save                   func() (record.Errors, error)
		}{
			{"check-in on a closed case", "checkin", "case_id", protection.ErrCaseClosed, func() (record.Errors, error) {
				_, errs, err := s.SaveCheckIn(f.ctx, u, nil, form(kinds.CheckIn, "case_id", closed.ID,
					"checked_on", "2026-03-01", "result", "safe", "note", "fine"), f.seal)
				return errs, err
			}},
			{"schedule of 0 days", "case", "checkin_every", "pcase.error.schedule", func() (record.Errors, error) {
				_, errs, err := s.Cases.Save(f.ctx, u, nil, form(kinds.ProtectionCase, "person", f.newPerson("Zero").ID,
					"risk_level", "low", "status", "open", "opened_on", "2026-01-05", "checkin_every", "0"), f.seal)
				return errs, err
			}},
			{"schedule of -3 days", "case", "checkin_every", record.ErrNumber, func() (record.Errors, error) {
				_, errs, err := s.Cases.Save(f.ctx, u, nil, form(kinds.ProtectionCase, "person", f.newPerson("Negative").ID,
					"risk_level", "low", "status", "open", "opened_on", "2026-01-05", "checkin_every", "-3"), f.seal)
				return errs, err
			}},
			{"list entry without a name", "entry", "name_written", record.ErrRequired, func() (record.Errors, error) {
				_, errs, err := s.Entries.Save(f.ctx, u, nil, form(kinds.HitListEntry, "list_id", l.ID,
					"person", f.newPerson("Nameless").ID), f.seal)
				return errs, err
			}},
			{"threat dated in the future", "threat", "occurred_on", record.ErrFuture, func() (record.Errors, error) {
				_, errs, err := s.Threats.Save(f.ctx, u, nil, form(kinds.Threat, "occurred_on", "2026-03-11",
					"delivery", "phone_call", "severity", "death", "persons", f.person.ID, "said", "tomorrow"), f.seal)
				return errs, err
			}},
			{"check-in dated in the future", "checkin", "checked_on", record.ErrFuture, func() (record.Errors, error) {
				_, errs, err := s.SaveCheckIn(f.ctx, u, nil, form(kinds.CheckIn, "case_id", c.ID,
					"checked_on", "2026-03-11", "result", "safe"), f.seal)
				return errs, err
			}},
			{"person listed twice", "entry", "person", protection.ErrListedTwice, func() (record.Errors, error) {
				_, errs, err := s.Entries.Save(f.ctx, u, nil, form(kinds.HitListEntry, "list_id", l.ID,
					"name_written", "Safaa E.", "person", f.person.ID), f.seal)
				return errs, err
			}},
			{"second open case", "case", "person", protection.ErrOpenCase, func() (record.Errors, error) {
				_, errs, err := s.Cases.Save(f.ctx, u, nil, form(kinds.ProtectionCase, "person", f.person.ID,
					"risk_level", "low", "status", "monitoring", "opened_on", "2026-02-05", "checkin_every", "14"), f.seal)
				return errs, err
			}},
		} {
			before := count(bad.kind)
			errs, err := bad.save()
			if err != nil {
				t.Fatalf("%s: %v", bad.name, err)
			}
			if errs[bad.field] != bad.key {
				t.Errorf("%s: refused %v, want %s: %s", bad.name, errs, bad.field, bad.key)
			}
			if after := count(bad.kind); after != before {
				t.Errorf("%s: %d records stored", bad.name, after-before)
			}
		}
		// A closed case does not count: a new one may be opened.
		must(s.Cases.Save(f.ctx, u, nil, form(kinds.ProtectionCase, "person", closedP.ID, "risk_level", "low",
			"status", "open", "opened_on", "2026-02-05", "checkin_every", "7"), f.seal))
		if c.Code == "" || c.Code == closed.Code {
			t.Errorf("case codes %q and %q", c.Code, closed.Code)
		}
		if got, err := s.Case(f.ctx, u, c.Code); err != nil || got.ID != c.ID {
			t.Errorf("case by its code: %v %v", got, err)
		}
	})
}

// Outside the compartment nothing exists: not a case, a list, a threat
// nor a check-in, even for a coordinator, who sees every restricted
// incident; and a non-member cannot write one.
func TestNonMembers(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		s := f.svc
		c := must(s.Cases.Save(f.ctx, f.member, nil, form(kinds.ProtectionCase, "person", f.person.ID, "risk_level", "high",
			"status", "open", "opened_on", "2026-01-05", "checkin_every", "7"), f.seal))
		must(s.Threats.Save(f.ctx, f.member, nil, form(kinds.Threat, "occurred_on", "2026-01-02",
			"delivery", "phone_call", "severity", "death", "persons", f.person.ID, "said", "we know"), f.seal))
		for _, u := range []*model.User{f.coord, {ID: "x", Username: "anon", Role: model.RoleAdmin}} {
			if _, err := s.Case(f.ctx, u, c.Code); !errors.Is(err, records.ErrNotFound) {
				t.Errorf("%s read the case by code: %v", u.Username, err)
			}
			if _, err := s.Cases.Get(f.ctx, u, c.ID, false); !errors.Is(err, records.ErrNotFound) {
				t.Errorf("%s read the case: %v", u.Username, err)
			}
			if rows, err := s.Board(f.ctx, u); err != nil || len(rows) != 0 {
				t.Errorf("%s's board: %d rows, %v", u.Username, len(rows), err)
			}
			if list, total, err := s.Threats.ListWhere(f.ctx, u, "", "persons", f.person.ID, 50, 0); err != nil || total+len(list) != 0 {
				t.Errorf("%s listed %d threats", u.Username, total)
			}
			if _, _, err := s.SaveCheckIn(f.ctx, u, nil, form(kinds.CheckIn, "case_id", c.ID, "checked_on", "2026-03-01",
				"result", "safe"), f.seal); !errors.Is(err, records.ErrNotFound) {
				t.Errorf("%s checked in: %v", u.Username, err)
			}
		}
		if rows, err := s.Board(f.ctx, f.member); err != nil || len(rows) != 1 {
			t.Errorf("the member's board: %d rows, %v", len(rows), err)
		}
	})
}
