package protection_test

import (
	"testing"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// What became of each person on a list is derived from what happened to
// them after it appeared: incidents, threats, moves, check-ins; nothing
// before it counts, and the worst outcome wins.
func TestListOutcomes(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		s, u := f.svc, f.member
		incident := func(p model.Person, typ, date string) {
			inc := storetest.Incident()
			inc.Type, inc.Date = typ, model.Date{Start: date, End: date, Precision: "day"}
			inc.Victims = []model.Victim{{PersonID: p.ID, Role: "activist", Outcome: "injured"}}
			if err := st.CreateIncident(f.ctx, "doc", &inc); err != nil {
				t.Fatal(err)
			}
		}
		caseOf := func(p model.Person) *model.ProtectionCase {
			return must(s.Cases.Save(f.ctx, u, nil, form(kinds.ProtectionCase, "person", p.ID, "risk_level", "high",
				"status", "open", "opened_on", "2019-11-01", "checkin_every", "7"), f.seal))
		}
		l := must(s.Lists.Save(f.ctx, u, nil, form(kinds.HitList, "name", "Memo 12", "appeared_on", "2019-10-20"), f.seal))
		want := map[string]string{}
		add := func(name, outcome string) model.Person {
			p := f.newPerson(name)
			e := must(s.Entries.Save(f.ctx, u, nil, form(kinds.HitListEntry, "list_id", l.ID, "name_written", name,
				"person", p.ID), f.seal))
			want[e.ID] = outcome
			return p
		}
		killed := add("Killed Person", protection.OutcomeKilled)
		incident(killed, "assault", "2019-11-02")
		incident(killed, "killing", "2019-12-08")
		incident(add("Abducted Person", protection.OutcomeAbducted), "kidnapping", "2020-02-01")
		attacked := add("Attacked Person", protection.OutcomeAttacked)
		incident(attacked, "assault", "2020-01-01")
		incident(attacked, "killing", "2019-01-01") // before the list: not its outcome
		threatened := add("Threatened Person", protection.OutcomeThreatened)
		must(s.Threats.Save(f.ctx, u, nil, form(kinds.Threat, "occurred_on", "2020-03-01", "delivery", "message",
			"severity", "death", "persons", threatened.ID), f.seal))
		moved := caseOf(add("Moved Person", protection.OutcomeRelocated))
		must(s.Moves.Save(f.ctx, u, nil, form(kinds.Move, "case_id", moved.ID, "moved_on", "2020-01-15", "city", "Gaziantep",
			"country", "TR"), f.seal))
		safe := caseOf(add("Safe Person", protection.OutcomeSafe))
		must(s.SaveCheckIn(f.ctx, u, nil, form(kinds.CheckIn, "case_id", safe.ID, "checked_on", "2026-03-01", "result", "safe"), f.seal))
		add("Quiet Person", protection.OutcomeUnknown)
		nobody := must(s.Entries.Save(f.ctx, u, nil, form(kinds.HitListEntry, "list_id", l.ID, "name_written", "Abu X"), f.seal))
		want[nobody.ID] = protection.OutcomeUnknown

		entries, err := s.ListEntries(f.ctx, u, l, f.links())
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != len(want) {
			t.Fatalf("%d entries, want %d", len(entries), len(want))
		}
		for i, e := range entries {
			if e.Seq != i+1 {
				t.Errorf("entry %d has place %d", i, e.Seq)
			}
			if e.Outcome != want[e.ID] {
				t.Errorf("entry %d (%s): %s, want %s", e.Seq, e.Person, e.Outcome, want[e.ID])
			}
		}
		// A non-member learns nothing, not even that the list has entries.
		if got, err := s.ListEntries(f.ctx, f.coord, l, nil); err != nil || len(got) != 0 {
			t.Errorf("a non-member read %d entries: %v", len(got), err)
		}
	})
}

// The demo's list names nine, with outcomes that vary, and its board has
// overdue check-ins.
func TestDemo(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		inc := storetest.Incident()
		inc.Victims = inc.Victims[:1]
		if err := st.CreateIncident(f.ctx, "doc", &inc); err != nil { // a killing, 8 December 2019
			t.Fatal(err)
		}
		if err := f.svc.Demo(f.ctx, f.member, f.seal); err != nil {
			t.Fatal(err)
		}
		lists, _, err := f.svc.Lists.List(f.ctx, f.member, "", 10, 0)
		if err != nil || len(lists) != 1 {
			t.Fatalf("lists: %d %v", len(lists), err)
		}
		entries, err := f.svc.ListEntries(f.ctx, f.member, &lists[0], f.links())
		if err != nil || len(entries) != 9 {
			t.Fatalf("entries: %d %v", len(entries), err)
		}
		seen := map[string]int{}
		for _, e := range entries {
			seen[e.Outcome]++
		}
		for _, o := range []string{protection.OutcomeKilled, protection.OutcomeThreatened, protection.OutcomeRelocated,
			protection.OutcomeSafe, protection.OutcomeUnknown} {
			if seen[o] == 0 {
				t.Errorf("no %s among %v", o, seen)
			}
		}
		dues, err := f.svc.Dues(f.ctx, f.member)
		overdue := 0
		for _, d := range dues {
			if d.Due.State == protection.StateOverdue {
				overdue++
			}
		}
		if err != nil || overdue < 2 {
			t.Errorf("%d overdue, %v", overdue, err)
		}
	})
}
