package duplicates_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/duplicates"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// TestBlockingLosesNothing: over demo incidents (every eleventh reported
// twice), on both backends, Find and For through the blocking table
// (docs/duplicates.md, "Blocking") give exactly the pairs that scoring
// every pair of a governorate gives: the blocking reads fewer incidents,
// never fewer pairs.
func TestBlockingLosesNothing(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		incs := demo.Incidents(demo.Options{Incidents: 900, Seed: 16, Twice: 11})
		if _, err := st.ImportIncidents(ctx, "importer", incs[:800], nil); err != nil {
			t.Fatal(err)
		}
		// Pairs the blocking must not lose: a second report naming no
		// one, and two reports alike in all but their victims' names,
		// which score 0.75 with identical texts.
		edge := []model.Incident{
			incident("2021-03-04", "day", "IQ-NI", "IQG15Q01", "Tahsin Osama", "Journalist shot dead in Mosul by gunmen"),
			incident("2021-03-04", "day", "IQ-NI", "IQG15Q01", "", "Journalist shot dead in Mosul by gunmen"),
			incident("2021-05-04", "day", "IQ-NI", "IQG15Q01", "Ali Hassan", "Activist shot dead in Mosul by gunmen"),
			incident("2021-05-04", "day", "IQ-NI", "IQG15Q01", "Omar Kadhim", "Activist shot dead in Mosul by gunmen"),
		}
		// And two alike in all but their types, one dated to the month,
		// which score 0.75 (less a rounding) only as their places score
		// 1, the same district or 3.3 km apart: pairs at a minimum of
		// 0.74, found by the lookup on save though it reads only those
		// of the type, the district or within 5 km among the incidents
		// not dated to the day.
		typed := func(inc model.Incident, typ string, lat, lon float64) model.Incident {
			inc.Type = typ
			if lat != 0 {
				inc.Place.Lat, inc.Place.Lon = &lat, &lon
			}
			return inc
		}
		edge = append(edge,
			typed(incident("2021-07-01", "month", "IQ-NI", "IQG15Q01", "Karim Jawad", "Activist Karim Jawad abducted in Mosul"), "abduction", 0, 0),
			typed(incident("2021-07-14", "day", "IQ-NI", "IQG15Q01", "Karim Jawad", "Activist Karim Jawad abducted in Mosul"), "kidnapping", 0, 0),
			typed(incident("2021-09-01", "month", "IQ-NI", "", "Samir Nouri", "Lawyer Samir Nouri abducted in Mosul"), "abduction", 36.34, 43.13),
			typed(incident("2021-09-20", "day", "IQ-NI", "IQG15Q02", "Samir Nouri", "Lawyer Samir Nouri abducted in Mosul"), "kidnapping", 36.37, 43.13),
		)
		for i := range edge {
			edge[i].NarrativeEN = ""
		}
		incs = append(incs, edge...)
		for i := range incs[800:] { // the rest saved one by one
			if err := st.CreateIncident(ctx, "tester", &incs[800+i]); err != nil {
				t.Fatal(err)
			}
		}
		var all []*model.Incident
		open := store.Visible{Levels: []string{model.VisibilityInternal, model.VisibilityPublic}}
		if err := st.EachIncident(ctx, store.IncidentFilter{Visible: open}, func(inc *model.Incident) error {
			full, err := st.GetIncident(ctx, inc.ID)
			all = append(all, full)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		want := map[[2]string]bool{}
		partners := map[string][]string{}
		for i, a := range all {
			for _, b := range all[i+1:] {
				if a.Place.Admin1 != b.Place.Admin1 {
					continue
				}
				if s, _ := duplicates.Score(a, b); s >= duplicates.DefaultMin {
					want[store.PairKey(a.ID, b.ID)] = true
					partners[a.ID] = append(partners[a.ID], b.ID)
					partners[b.ID] = append(partners[b.ID], a.ID)
				}
			}
		}
		for _, pair := range [][2]int{{4, 5}, {6, 7}} {
			a, b := incs[len(incs)-len(edge)+pair[0]], incs[len(incs)-len(edge)+pair[1]]
			if s, _ := duplicates.Score(&a, &b); s < 0.74 {
				t.Errorf("the made pair %s, %s scores %.3f, below 0.74: the test lost its edge cases", a.Code, b.Code, s)
			}
			for _, x := range [][2]model.Incident{{a, b}, {b, a}} {
				ps, err := duplicates.For(ctx, st, &x[0], 0.74)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(ps, func(p duplicates.Pair) bool { return p.B == x[1].ID }) {
					t.Errorf("For(%s, 0.74) = %v, want %s among them", x[0].Code, ps, x[1].Code)
				}
			}
		}
		for _, pair := range [][2]int{{0, 1}, {2, 3}} {
			a, b := incs[len(incs)-len(edge)+pair[0]], incs[len(incs)-len(edge)+pair[1]]
			if !want[store.PairKey(a.ID, b.ID)] {
				t.Errorf("the made pair %s, %s scores below the minimum: the test lost its edge cases", a.Code, b.Code)
			}
		}
		if len(want) < 20 {
			t.Fatalf("only %d pairs among %d incidents: the test needs more", len(want), len(all))
		}
		pairs, err := duplicates.Find(ctx, st, duplicates.DefaultMin)
		if err != nil {
			t.Fatal(err)
		}
		got := map[[2]string]bool{}
		for _, p := range pairs {
			got[store.PairKey(p.A, p.B)] = true
		}
		for k := range want {
			if !got[k] {
				t.Errorf("Find missed %v", k)
			}
		}
		if len(got) != len(want) {
			t.Errorf("Find: %d pairs, scoring every pair: %d", len(got), len(want))
		}
		for _, inc := range all {
			ps, err := duplicates.For(ctx, st, inc, duplicates.DefaultMin)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range ps {
				ids = append(ids, p.B)
			}
			slices.Sort(ids)
			w := slices.Clone(partners[inc.ID])
			slices.Sort(w)
			if !slices.Equal(ids, w) {
				t.Errorf("For(%s) = %v, want %v", inc.Code, ids, w)
			}
		}
		t.Logf("%d incidents, %d pairs", len(all), len(want))
	})
}
