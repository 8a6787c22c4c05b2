package postgres

import (
	"context"
	"slices"
	"testing"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestSearchSteps: a search answered in steps (MatchNewest) finds the same
// records, in the same order, as the one query it replaces, whichever
// step answers: the probe, a wider window, or the text index. The probe
// is made small so that 400 incidents take every path.
func TestSearchSteps(t *testing.T) {
	ctx := context.Background()
	defer func(w int64) { probeWindow = w }(probeWindow)
	probeWindow = 20
	s, err := Open(ctx, freshSchema(t), storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	g := storetest.NewGen(400)
	if _, err := s.ImportIncidents(ctx, "test", g.Batch(400), nil); err != nil {
		t.Fatal(err)
	}
	d := dialect{}
	for _, q := range []string{"Zumurrud", "زمرد", "activist", "الناشط", "journalist Basra", "الصحفي البصرة",
		"killed", "kidnapping Mosul", "nothingmatchesthis"} {
		for _, limit := range []int{1, 5, 50, 500} {
			got, err := s.SearchIncidents(ctx, q, limit)
			if err != nil {
				t.Fatal(err)
			}
			terms, _ := store.QueryTerms(q)
			match, args := d.Match("incident", terms, limit)
			rows, err := s.SQL().QueryContext(ctx, d.Rebind(`SELECT i.id FROM incidents i JOIN (`+match+`) m ON m.rid = i.rid ORDER BY i.rid DESC`), args...)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for rows.Next() {
				var id string
				rows.Scan(&id)
				want = append(want, id)
			}
			rows.Close()
			var ids []string
			for _, h := range got {
				ids = append(ids, h.ID)
			}
			if !slices.Equal(ids, want) {
				t.Errorf("%q, limit %d: found %d records %v, want %d %v", q, limit, len(ids), ids, len(want), want)
			}
		}
	}
}
