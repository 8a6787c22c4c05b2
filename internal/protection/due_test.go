package protection_test

import (
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The overdue rule of docs/protection.md with a given clock: due every N
// days after the last check-in, due (not overdue) through the grace days,
// overdue after, days counted in UTC, a schedule changed mid-cycle.
func TestDueOf(t *testing.T) {
	weekly := model.ProtectionCase{Status: "open", OpenedOn: "2026-01-01", ScheduleSince: "2026-01-01",
		CheckInEvery: 7, LastCheckIn: "2026-03-01"}
	baghdad := time.FixedZone("Baghdad", 3*3600)
	for _, c := range []struct {
		name  string
		c     model.ProtectionCase
		now   time.Time
		state string
		dueOn string
		late  int
	}{
		{"the day before it is due", weekly, at("2026-03-07T23:59:59Z"), protection.StateOK, "2026-03-08", 0},
		{"due today", weekly, at("2026-03-08T00:00:00Z"), protection.StateDue, "2026-03-08", 0},
		{"the last day of grace", weekly, at("2026-03-10T23:59:59Z"), protection.StateDue, "2026-03-08", 2},
		{"overdue at midnight UTC", weekly, at("2026-03-11T00:00:00Z"), protection.StateOverdue, "2026-03-08", 3},
		// 01:00 in Baghdad is still the 10th in UTC: not overdue yet.
		{"a local clock past midnight", weekly, time.Date(2026, 3, 11, 1, 0, 0, 0, baghdad), protection.StateDue, "2026-03-08", 2},
		{"stays overdue", weekly, at("2026-04-30T10:00:00Z"), protection.StateOverdue, "2026-03-08", 53},
		{"never checked in: from the opening", model.ProtectionCase{Status: "open", OpenedOn: "2026-03-01",
			ScheduleSince: "2026-03-01", CheckInEvery: 3}, at("2026-03-07T08:00:00Z"), protection.StateOverdue, "2026-03-04", 3},
		// From every 14 days to every 7, on 10 March: the 7 days after the
		// last check-in (1 March) are past, so it is due on the day of
		// the change, not overdue already.
		{"shortened mid-cycle", model.ProtectionCase{Status: "open", OpenedOn: "2026-01-01", ScheduleSince: "2026-03-10",
			CheckInEvery: 7, LastCheckIn: "2026-03-01"}, at("2026-03-10T09:00:00Z"), protection.StateDue, "2026-03-10", 0},
		{"shortened mid-cycle, then missed", model.ProtectionCase{Status: "open", OpenedOn: "2026-01-01", ScheduleSince: "2026-03-10",
			CheckInEvery: 7, LastCheckIn: "2026-03-01"}, at("2026-03-13T09:00:00Z"), protection.StateOverdue, "2026-03-10", 3},
		// From every 7 days to every 30, on 5 March: due 30 days after the
		// last check-in.
		{"lengthened mid-cycle", model.ProtectionCase{Status: "open", OpenedOn: "2026-01-01", ScheduleSince: "2026-03-05",
			CheckInEvery: 30, LastCheckIn: "2026-03-01"}, at("2026-03-12T09:00:00Z"), protection.StateOK, "2026-03-31", 0},
		{"closed", model.ProtectionCase{Status: "closed", OpenedOn: "2026-01-01", CheckInEvery: 7},
			at("2026-03-12T09:00:00Z"), protection.StateOK, "", 0},
	} {
		got := protection.DueOf(&c.c, c.now, 2)
		if got.State != c.state || got.DueOn != c.dueOn || got.Late != c.late {
			t.Errorf("%s: %+v, want %s on %s, %d late", c.name, got, c.state, c.dueOn, c.late)
		}
	}
}

// Through the store: a case becomes overdue, a check-in ends it, a change
// of schedule is dated by the clock, and the board puts overdue cases
// first, then by risk.
func TestOverdueCases(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		s, u := f.svc, f.member
		f.now = at("2026-03-20T10:00:00Z")
		newCase := func(name, risk, every, opened string) *model.ProtectionCase {
			return must(s.Cases.Save(f.ctx, u, nil, form(kinds.ProtectionCase, "person", f.newPerson(name).ID,
				"risk_level", risk, "status", "open", "opened_on", opened, "checkin_every", every), f.seal))
		}
		late := newCase("Late Low", "low", "7", "2026-03-01")            // due 8 March: overdue
		later := newCase("Later High", "high", "7", "2026-03-05")        // due 12 March: overdue, less late
		today := newCase("Due Critical", "critical", "5", "2026-03-15")  // due today
		calm := newCase("Calm Critical", "critical", "30", "2026-03-01") // due 31 March
		calmLow := newCase("Calm Low", "low", "30", "2026-03-01")
		rows, err := s.Board(f.ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, r := range rows {
			order = append(order, r.Case.ID)
		}
		want := []string{late.ID, later.ID, today.ID, calm.ID, calmLow.ID}
		if len(order) != len(want) {
			t.Fatalf("board: %d rows", len(order))
		}
		for i := range want {
			if order[i] != want[i] {
				t.Fatalf("board order %v, want %v", order, want)
			}
		}
		dues, err := s.Dues(f.ctx, u)
		if err != nil || len(dues) != 3 || dues[0].Due.State != protection.StateOverdue || dues[2].Due.State != protection.StateDue {
			t.Fatalf("dues: %+v %v", dues, err)
		}
		// A check-in ends the overdue state; an older one does not undo it.
		must(s.SaveCheckIn(f.ctx, u, nil, form(kinds.CheckIn, "case_id", late.Code, "checked_on", "2026-03-19",
			"result", "safe", "channel", "phone_call", "note", "all well"), f.seal))
		must(s.SaveCheckIn(f.ctx, u, nil, form(kinds.CheckIn, "case_id", late.ID, "checked_on", "2026-03-02",
			"result", "no_answer"), f.seal))
		c, err := s.Cases.Get(f.ctx, u, late.ID, false)
		if err != nil || c.LastCheckIn != "2026-03-19" {
			t.Fatalf("last check-in %q, %v", c.LastCheckIn, err)
		}
		if d := protection.DueOf(c, f.now, s.Grace); d.State != protection.StateOK || d.DueOn != "2026-03-26" {
			t.Errorf("after a check-in: %+v", d)
		}
		// A schedule changed is dated by the clock.
		f.now = at("2026-03-22T08:00:00Z")
		fm := kinds.ProtectionCase.FormOf(open(f, kinds.ProtectionCase, c)) // as its edit page: its person is sealed
		fm.Values.Set("checkin_every", "2")
		c = must(s.Cases.Save(f.ctx, u, c, fm, f.seal))
		if c.ScheduleSince != "2026-03-22" {
			t.Errorf("schedule since %q", c.ScheduleSince)
		}
		if d := protection.DueOf(c, f.now, s.Grace); d.State != protection.StateDue || d.DueOn != "2026-03-22" {
			t.Errorf("after the change: %+v", d)
		}
	})
}
