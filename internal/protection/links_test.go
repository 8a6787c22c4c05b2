package protection_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// oldShape makes the kinds write as rasd did before migration 0037: the
// person a case, a threat or a list entry names in the clear, in its
// column and its history. The test undoes it when it ends.
func oldShape(t *testing.T) (undo func()) {
	var flipped []*record.Field
	for _, fields := range [][]record.Field{kinds.ProtectionCase.Fields, kinds.Threat.Fields, kinds.HitListEntry.Fields} {
		for i := range fields {
			if f := &fields[i]; f.Name == "person" || f.Name == "persons" {
				f.Sealed = false
				flipped = append(flipped, f)
			}
		}
	}
	undo = func() {
		for _, f := range flipped {
			f.Sealed = true
		}
	}
	t.Cleanup(undo)
	return undo
}

// atRisk writes a case, a threat and a list entry naming p.
func (f *fixture) atRisk(svc *protection.Service, p model.Person) (c *model.ProtectionCase, th *model.Threat, e *model.HitListEntry) {
	u := f.member
	c = must(svc.Cases.Save(f.ctx, u, nil, form(kinds.ProtectionCase, "person", p.ID, "risk_level", "high",
		"status", "open", "opened_on", "2026-01-05", "checkin_every", "7", "notes", "Case notes kept"), f.seal))
	th = must(svc.Threats.Save(f.ctx, u, nil, form(kinds.Threat, "occurred_on", "2026-01-02", "delivery", "phone_call",
		"severity", "death", "persons", p.ID, "said", "Said kept"), f.seal))
	l := must(svc.Lists.Save(f.ctx, u, nil, form(kinds.HitList, "name", "A list", "appeared_on", "2025-06-01"), f.seal))
	e = must(svc.Entries.Save(f.ctx, u, nil, form(kinds.HitListEntry, "list_id", l.ID, "name_written", "A name",
		"person", p.ID), f.seal))
	return c, th, e
}

// A store written before migration 0037 keeps the persons in the clear
// until a member's key moves them: the first lookup (or write) by a
// member does, in one transaction; each record gets a version "seal" and
// its history loses the person; lookups find them before and after, and
// the audit still verifies (docs/protection.md, "Upgrade").
func TestLinksOfOldShapeSealed(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		undo := oldShape(t)
		c, th, e := f.atRisk(f.svc, f.person)
		undo()
		old, err := st.KindStore(kinds.ProtectionCase.Name).(store.Kind[model.ProtectionCase]).Get(f.ctx, c.ID)
		if err != nil || old.Person != f.person.ID {
			t.Fatalf("the old shape keeps the person in the clear: %+v %v", old, err)
		}
		ids := map[string]string{kinds.ProtectionCase.Name: c.ID, kinds.Threat.Name: th.ID, kinds.HitListEntry.Name: e.ID}
		inHistory := func() (n int) {
			for kind, id := range ids {
				vs, err := st.History(f.ctx, kind, id)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range vs {
					changes, _ := json.Marshal(v.Changes)
					if strings.Contains(string(v.Snapshot)+string(changes), f.person.ID) {
						n++
					}
				}
			}
			return n
		}
		if inHistory() != 3 {
			t.Fatalf("the old shape's history names the person %d times, want 3", inHistory())
		}

		// The upgraded process: its first lookup with the member's key.
		svc := protection.New(st, func() time.Time { return f.now })
		f.svc = svc
		l := f.links()
		for what, find := range map[string]func() ([]string, error){
			"case":   func() ([]string, error) { return l.CasesOf(f.ctx, f.person.ID) },
			"threat": func() ([]string, error) { return l.ThreatsOf(f.ctx, f.person.ID) },
			"entry":  func() ([]string, error) { return l.EntriesOf(f.ctx, f.person.ID) },
		} {
			if got, err := find(); err != nil || len(got) != 1 {
				t.Errorf("the %s of the person: %v %v", what, got, err)
			}
		}
		if n := inHistory(); n != 0 {
			t.Errorf("%d versions still name the person", n)
		}
		got, err := svc.Cases.Get(f.ctx, f.member, c.ID, false)
		if err != nil || got.Person != "" || got.Version != c.Version+1 {
			t.Fatalf("the case after the move: %+v %v", got, err)
		}
		if open(f, kinds.ProtectionCase, got); got.Person != f.person.ID || got.Notes != "Case notes kept" {
			t.Errorf("the case's sealed group: person %q, notes %q", got.Person, got.Notes)
		}
		vs, _ := st.History(f.ctx, kinds.ProtectionCase.Name, c.ID)
		if last := vs[len(vs)-1]; last.Action != "seal" {
			t.Errorf("the move's version: %s", last.Action)
		}
		if _, err := st.VerifyLog(f.ctx, store.VerifyOptions{Key: storetest.AuditKey}); err != nil {
			t.Errorf("audit verify after the move: %v", err)
		}
		rs, _, _ := f.seal(f.ctx)
		defer rs.Close()
		if n, err := svc.SealLinks(f.ctx, "again", rs); err != nil || n != 0 {
			t.Errorf("a second move moved %d: %v", n, err)
		}
	})
}

// A check-in on a case of the old shape, the first write of the upgraded
// process, moves the links first: the case's own update then finds no
// person in the clear.
func TestCheckInOnOldShape(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		undo := oldShape(t)
		c, _, _ := f.atRisk(f.svc, f.person)
		undo()
		f.svc = protection.New(st, func() time.Time { return f.now })
		must(f.svc.SaveCheckIn(f.ctx, f.member, nil, form(kinds.CheckIn, "case_id", c.ID, "checked_on", "2026-03-01",
			"result", "safe"), f.seal))
		got, err := f.svc.Cases.Get(f.ctx, f.member, c.ID, false)
		if err != nil || got.Person != "" || got.LastCheckIn != "2026-03-01" {
			t.Errorf("the case after a check-in: %+v %v", got, err)
		}
	})
}

// Merging a person carries their case, threat and list entry to the
// person merged into; undoing the merge gives them back. The sealed
// groups are not rewritten: a lookup follows the merge (links.go), so
// that a merge needs no member's key and changes no sealed record.
func TestLinksFollowMerges(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		into := f.newPerson("Merged Into")
		c, th, e := f.atRisk(f.svc, f.person)
		m, err := st.MergePersons(f.ctx, "doc", f.person.ID, into.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := func(person string) []string {
			l := f.links()
			cs, err1 := l.CasesOf(f.ctx, person)
			ts, err2 := l.ThreatsOf(f.ctx, person)
			es, err3 := l.EntriesOf(f.ctx, person)
			if err1 != nil || err2 != nil || err3 != nil {
				t.Fatal(err1, err2, err3)
			}
			out := slices.Concat(cs, ts, es)
			slices.Sort(out)
			return out
		}
		all := []string{c.ID, th.ID, e.ID}
		slices.Sort(all)
		if got := found(into.ID); !slices.Equal(got, all) {
			t.Errorf("after the merge, the person merged into has %v, want %v", got, all)
		}
		// One open case per person: the merged person's case is theirs now.
		_, errs, err := f.svc.Cases.Save(f.ctx, f.member, nil, form(kinds.ProtectionCase, "person", into.ID,
			"risk_level", "low", "status", "open", "opened_on", "2026-02-01", "checkin_every", "7"), f.seal)
		if err != nil || errs["person"] != protection.ErrOpenCase {
			t.Errorf("a second open case after the merge: %v %v", errs, err)
		}
		if err := st.UnmergePersons(f.ctx, "doc", m.ID); err != nil {
			t.Fatal(err)
		}
		if got := found(into.ID); len(got) != 0 {
			t.Errorf("after undoing the merge, the person merged into still has %v", got)
		}
		if got := found(f.person.ID); !slices.Equal(got, all) {
			t.Errorf("after undoing the merge, the person has %v, want %v", got, all)
		}
		// Nothing sealed was rewritten, and a non-member's key opens none.
		for kind, id := range map[string]string{kinds.ProtectionCase.Name: c.ID, kinds.Threat.Name: th.ID, kinds.HitListEntry.Name: e.ID} {
			vs, err := st.History(f.ctx, kind, id)
			if err != nil || len(vs) != 1 {
				t.Errorf("%s: %d versions, %v", kind, len(vs), err)
			}
		}
		if _, err := f.svc.Links(f.ctx, f.coord, nil); err == nil {
			t.Error("a non-member opened the links")
		}
		if _, err := keys.OpenKind(f.ctx, st, "nobody", nil, kinds.ProtectionCase); err == nil {
			t.Error("the links opened without a key")
		}
	})
}
