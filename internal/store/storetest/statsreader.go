package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// testStatsReader: a figure counts a restricted incident only for a
// reader who may list it (docs/counting.md, "What a figure may reveal").
// For every case of the counting rules and every kind of reader, the
// figure and each of its groups are those of a reader who sees
// everything, less exactly the restricted incidents this reader may not
// list; and the receipt for the reader lists what the figure counts. The
// dataset's restricted h is the tester's; x, another restricted March
// kidnapping in Nineveh, is someone else's.
func testStatsReader(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	byLabel := CreateStatsDataset(t, ctx, s)
	x := model.Incident{Type: "kidnapping", Date: model.Date{Start: "2020-03-18", End: "2020-03-18", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-NI"}, Verification: "verified", Visibility: "restricted", Fatalities: 1,
		Perpetrators: []model.Perpetrator{{Type: "tribal"}},
		Victims:      []model.Victim{{Role: "lawyer", Outcome: "killed", Person: &model.Person{NameLatin: "Victim x", Visibility: "internal"}}}}
	if err := s.CreateIncident(ctx, "someone else", &x); err != nil {
		t.Fatal(err)
	}
	author := map[string]string{x.Code: "someone else"}
	for _, inc := range byLabel {
		author[inc.Code] = "tester"
	}
	everyone := []string{"public", "internal"}
	readers := []struct {
		name string
		v    store.Visible
	}{
		{"everything", seeAll},
		{"the restricted level", store.Visible{Levels: []string{"restricted"}}},
		{"nothing", store.Visible{}},
		{"public only", store.Visible{Levels: []string{"public"}}},
		{"public and internal", store.Visible{Levels: everyone}},
		{"the tester's own", store.Visible{Levels: everyone, OwnedBy: "tester"}},
		{"someone else's own", store.Visible{Levels: everyone, OwnedBy: "someone else"}},
		{"an author of nothing", store.Visible{Levels: []string{"public"}, OwnedBy: "nobody"}},
	}
	mayList := func(v store.Visible, r store.ReceiptIncident) bool {
		for _, l := range v.Levels {
			if l == r.Visibility {
				return true
			}
		}
		return r.Visibility == "restricted" && v.OwnedBy != "" && v.OwnedBy == author[r.Code]
	}
	differ := 0
	for _, tc := range StatsCases {
		q := tc.Query
		q.Reader = seeAll
		full, err := stats.Receipt(ctx, s, q, seeAll, 0, 0)
		if err != nil {
			t.Fatalf("%s: %v", tc.Name, err)
		}
		for _, rd := range readers {
			name := tc.Name + ", for " + rd.name
			// The expected figure: the full receipt's incidents this
			// reader's figures may count, public and internal always.
			var want stats.Figure
			wantGroups := map[string]stats.Figure{}
			for _, r := range full.Incidents {
				if r.Visibility == "restricted" && !mayList(rd.v, r) {
					continue
				}
				f := stats.Figure{Incidents: 1, Victims: r.Victims, Fatalities: r.Fatalities}
				if r.Date.Estimated || r.Date.Precision != "day" {
					f.Approximate = 1
				}
				add(&want, f)
				if q.By != "" {
					key := map[string]string{stats.ByType: r.Type, stats.ByGovernorate: r.Admin1, stats.ByMonth: stats.Month(r.Date)}[q.By]
					g := wantGroups[key]
					add(&g, f)
					wantGroups[key] = g
				}
			}
			if want != fullFigure(full) {
				differ++
			}
			q.Reader = rd.v
			res, err := stats.Count(ctx, s, q)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if res.Total != want {
				t.Errorf("%s: %+v, want %+v", name, res.Total, want)
			}
			if q.By != "" {
				got := map[string]stats.Figure{}
				for _, g := range res.Groups {
					got[g.Key] = g.Figure
				}
				if res.Unplaced != (stats.Figure{}) {
					got[""] = res.Unplaced
				}
				if fmt.Sprint(got) != fmt.Sprint(wantGroups) {
					t.Errorf("%s: groups %v, want %v", name, got, wantGroups)
				}
			}
			rc, err := stats.Receipt(ctx, s, q, rd.v, 0, 0)
			if err != nil || rc.Total != want.Incidents || len(rc.Incidents)+rc.Withheld != rc.Total {
				t.Errorf("%s: receipt total %d, %d listed, %d withheld, %v; the figure counts %d", name, rc.Total,
					len(rc.Incidents), rc.Withheld, err, want.Incidents)
			}
			for _, r := range rc.Incidents {
				if !mayList(rd.v, r) {
					t.Errorf("%s: the receipt lists %s (%s), which the reader may not see", name, r.Code, r.Visibility)
				}
				if r.Visibility == "restricted" && r.Code == x.Code && rd.v.OwnedBy == "tester" {
					t.Errorf("%s: the receipt lists someone else's restricted incident", name)
				}
			}
		}
	}
	if differ < 20 {
		t.Errorf("only %d (case, reader) pairs differ from the figure for a reader who sees everything: the test does not test", differ)
	}
}

func add(to *stats.Figure, f stats.Figure) {
	to.Incidents += f.Incidents
	to.Victims += f.Victims
	to.Fatalities += f.Fatalities
	to.Approximate += f.Approximate
}

// fullFigure adds up a receipt's incidents.
func fullFigure(rc store.Receipt) stats.Figure {
	var f stats.Figure
	for _, r := range rc.Incidents {
		g := stats.Figure{Incidents: 1, Victims: r.Victims, Fatalities: r.Fatalities}
		if r.Date.Estimated || r.Date.Precision != "day" {
			g.Approximate = 1
		}
		add(&f, g)
	}
	return f
}
