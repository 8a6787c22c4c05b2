package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testPersonMerge: merging a person into another moves their places as a
// victim and keeps their names as aliases, each change versioned and
// audited; undoing it restores both; the bad cases are refused and change
// nothing; the audit chain verifies after.
func testPersonMerge(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	a := mustCreate(t, ctx, s, Incident()) // victims Amjad al-Dahamat, Zainab Mustafa
	b := Incident()
	b.Victims = []model.Victim{{Role: "activist", Outcome: "killed", Person: &model.Person{NameLatin: "Amjad Dahamat"}}}
	b = mustCreate(t, ctx, s, b)
	// An incident naming both: the merge leaves one victim entry.
	both := Incident()
	both.Victims = []model.Victim{{PersonID: a.Victims[0].PersonID, Role: "activist", Outcome: "injured"},
		{PersonID: b.Victims[0].PersonID, Role: "activist", Outcome: "injured"}}
	both = mustCreate(t, ctx, s, both)
	into, from := a.Victims[0].PersonID, b.Victims[0].PersonID
	victimsOf := func(id string) []string {
		t.Helper()
		list, _, err := s.ListIncidents(ctx, store.IncidentFilter{PersonID: id, Visible: seeAll, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		out := codes(list)
		slices.Sort(out)
		return out
	}
	before := map[string][]string{into: victimsOf(into), from: victimsOf(from)}

	// Refused, changing nothing.
	for _, tc := range []struct {
		from, into string
		want       error
	}{{into, into, store.ErrMergeSelf}, {from, "no-such-person", store.ErrNotFound}, {"no-such-person", into, store.ErrNotFound}} {
		if _, err := s.MergePersons(ctx, "analyst", tc.from, tc.into); !errors.Is(err, tc.want) {
			t.Errorf("MergePersons(%s, %s) = %v, want %v", tc.from, tc.into, err, tc.want)
		}
	}

	m, err := s.MergePersons(ctx, "analyst", from, into)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Persons().Get(ctx, into)
	if err != nil || !slices.Contains(p.Aliases, "Amjad Dahamat") || !reflect.DeepEqual(m.Aliases, []string{"Amjad Dahamat"}) {
		t.Fatalf("after the merge, into = %+v (%v), merge aliases %v", p, err, m.Aliases)
	}
	if got, want := victimsOf(into), []string{a.Code, b.Code, both.Code}; !reflect.DeepEqual(got, want) {
		t.Errorf("into's incidents after the merge = %v, want %v", got, want)
	}
	if got := victimsOf(from); len(got) != 0 {
		t.Errorf("from still a victim in %v", got)
	}
	got, _ := s.GetIncident(ctx, both.ID)
	if len(got.Victims) != 1 || got.Victims[0].PersonID != into {
		t.Errorf("an incident naming both has victims %+v, want into once", got.Victims)
	}
	for _, rec := range [][2]string{{store.KindPerson, into}, {store.KindIncident, b.ID}, {store.KindIncident, both.ID}} {
		h, err := s.History(ctx, rec[0], rec[1])
		if err != nil || len(h) < 2 || h[len(h)-1].Action != "merge" || h[len(h)-1].Actor != "analyst" {
			t.Errorf("history of %s %s: last action not the analyst's merge: %+v, %v", rec[0], rec[1], h, err)
		}
	}
	if ms, err := s.PersonMergesOf(ctx, from); err != nil || len(ms) != 1 || ms[0].ID != m.ID || ms[0].UndoneAt != nil {
		t.Errorf("PersonMergesOf(from) = %+v, %v", ms, err)
	}
	// Merged already: refused either way.
	for _, pair := range [][2]string{{from, into}, {into, from}} {
		if _, err := s.MergePersons(ctx, "analyst", pair[0], pair[1]); !errors.Is(err, store.ErrMerged) {
			t.Errorf("MergePersons(%s, %s) after the merge = %v, want ErrMerged", pair[0], pair[1], err)
		}
	}

	if err := s.UnmergePersons(ctx, "coordinator", m.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.UnmergePersons(ctx, "coordinator", m.ID); !errors.Is(err, store.ErrMergeUndone) {
		t.Errorf("undoing twice = %v, want ErrMergeUndone", err)
	}
	if err := s.UnmergePersons(ctx, "coordinator", "no-such-merge"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("undoing no merge = %v, want ErrNotFound", err)
	}
	p, _ = s.Persons().Get(ctx, into)
	if slices.Contains(p.Aliases, "Amjad Dahamat") {
		t.Errorf("after undoing, into keeps the alias: %v", p.Aliases)
	}
	after := map[string][]string{into: victimsOf(into), from: victimsOf(from)}
	if !reflect.DeepEqual(after, before) {
		t.Errorf("after undoing, incidents by person = %v, want %v", after, before)
	}
	got, _ = s.GetIncident(ctx, both.ID)
	if len(got.Victims) != 2 || got.Victims[1].PersonID != from || got.Victims[1].Outcome != "injured" {
		t.Errorf("after undoing, the incident naming both has %+v", got.Victims)
	}
	h, _ := s.History(ctx, store.KindIncident, b.ID)
	if h[len(h)-1].Action != "unmerge" || h[len(h)-1].Actor != "coordinator" {
		t.Errorf("history of %s after undoing: %+v", b.Code, h[len(h)-1])
	}
	// And it can be merged again.
	if _, err := s.MergePersons(ctx, "analyst", from, into); err != nil {
		t.Errorf("merging again after undoing: %v", err)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Errorf("audit verify after merges: %v", err)
	}
}
