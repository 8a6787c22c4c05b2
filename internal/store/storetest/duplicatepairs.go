package storetest

import (
	"context"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testDuplicatePairs: the kept pairs of the review queue (migration 0041,
// docs/duplicates.md "The queue") are listed best first, only those whose
// incidents the reader sees, neither merged away nor found to be two
// events; a write of an incident forgets its pairs; replacing and setting
// one incident's pairs do what they say.
func testDuplicatePairs(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	var incs []model.Incident
	for range 4 {
		incs = append(incs, mustCreate(t, ctx, s, Incident()))
	}
	mine := Incident()
	mine.Visibility = model.VisibilityRestricted
	mine.Victims, mine.SummaryEN, mine.SummaryAR, mine.NarrativeEN = nil, "", "", ""
	mine = mustCreate(t, ctx, s, mine) // created by "tester"
	a, b, c, d := incs[0].ID, incs[1].ID, incs[2].ID, incs[3].ID
	open := store.Visible{Levels: []string{model.VisibilityInternal, model.VisibilityPublic}}
	list := func(v store.Visible, limit int) ([]store.ScoredPair, bool) {
		t.Helper()
		ps, more, err := s.ListDuplicatePairs(ctx, v, limit)
		if err != nil {
			t.Fatal(err)
		}
		return ps, more
	}
	if err := s.ReplaceDuplicatePairs(ctx, []store.ScoredPair{{A: a, B: b, Score: 0.8}, {A: c, B: a, Score: 0.9},
		{A: b, B: c, Score: 0.76}, {A: a, B: mine.ID, Score: 0.95}}); err != nil {
		t.Fatal(err)
	}
	ps, more := list(open, 2)
	if len(ps) != 2 || !more || ps[0].Score != 0.9 || store.PairKey(ps[0].A, ps[0].B) != store.PairKey(a, c) || ps[1].Score != 0.8 {
		t.Errorf("the best 2 = %v (more %v), want a~c 0.9, a~b 0.8, and more", ps, more)
	}
	if ps, _ := list(open, 10); len(ps) != 3 {
		t.Errorf("an internal reader sees %v, want 3 pairs (not the restricted incident's)", ps)
	}
	if ps, _ := list(store.Visible{Levels: open.Levels, OwnedBy: "tester"}, 10); len(ps) != 4 || ps[0].Score != 0.95 {
		t.Errorf("the restricted incident's author sees %v, want its pair first", ps)
	}
	if ps, _ := list(store.Visible{}, 10); len(ps) != 0 {
		t.Errorf("no levels sees %v, want none", ps)
	}

	// Found to be two events, or merged away: not listed.
	if err := s.MarkDistinct(ctx, "analyst", c, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeIncidents(ctx, "analyst", b, d); err != nil {
		t.Fatal(err)
	}
	if ps, _ := list(open, 10); len(ps) != 0 {
		t.Errorf("after distinct and a merge: %v, want none", ps)
	}

	// One incident's pairs set; a write of it forgets them.
	if err := s.SetDuplicatePairsOf(ctx, d, []store.ScoredPair{{A: d, B: c, Score: 0.85}}); err != nil {
		t.Fatal(err)
	}
	if ps, _ := list(open, 10); len(ps) != 1 || ps[0].Score != 0.85 {
		t.Errorf("after setting d's pairs: %v, want d~c", ps)
	}
	stored, err := s.GetIncident(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	stored.Fatalities++
	if err := s.UpdateIncident(ctx, "tester", stored); err != nil {
		t.Fatal(err)
	}
	if ps, _ := list(open, 10); len(ps) != 0 {
		t.Errorf("after an update of c: %v, want its pairs forgotten", ps)
	}
	if err := s.SetDuplicatePairsOf(ctx, "no-such-incident", nil); err == nil {
		t.Error("SetDuplicatePairsOf(an unknown incident) = nil, want an error")
	}
}
