package postgres

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

var stepQueries = []string{"Zumurrud", "زمرد", "activist", "الناشط", "journalist Basra", "الصحفي البصرة",
	"killed", "kidnapping Mosul", "nothingmatchesthis"}

// TestSearchSteps: a search answered in steps (MatchNewest) finds the same
// records, in the same order, as the one query it replaces, whichever
// step answers: the probe, a wider window, the index of the newest rows
// or the text index. The probe and the recent index are made small so
// that 400 incidents take every path; then more are written, into the
// recent index, and the searches agree again.
func TestSearchSteps(t *testing.T) {
	ctx := context.Background()
	defer func(w, r, m int64) { probeWindow, recentRows, recentMax = w, r, m }(probeWindow, recentRows, recentMax)
	probeWindow, recentRows, recentMax = 20, 100, 250
	s, err := Open(ctx, freshSchema(t), storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	g := storetest.NewGen(500)
	first := g.Batch(400)
	if _, err := s.ImportIncidents(ctx, "test", first, nil); err != nil {
		t.Fatal(err)
	}
	// The import made the recent index (its end refreshes it).
	if from := recentIndex(t, s.SQL(), "incidents"); from != 300 {
		t.Fatalf("after importing 400 incidents the recent index starts at rid %d, want 300", from)
	}
	if n := sameAsOneQuery(t, s); n == 0 {
		t.Error("no search took the recent index: the test no longer covers it")
	}
	// Rows written after the index was made are in it: 100 more; then two
	// of them and two older ones imported again with other words (an
	// update of their search text), and the searches still agree.
	batch := g.Batch(100)
	if _, err := s.ImportIncidents(ctx, "test", batch, nil); err != nil {
		t.Fatal(err)
	}
	upd := append(slices.Clone(batch[:2]), first[10:12]...)
	for i := range upd {
		upd[i].SummaryEN = "A journalist kidnapped in Basra, near Mosul."
	}
	if res, err := s.ImportIncidents(ctx, "test", upd, nil); err != nil || res.Updated != len(upd) {
		t.Fatalf("importing %d records again: %+v, %v", len(upd), res, err)
	}
	if from := recentIndex(t, s.SQL(), "incidents"); from != 300 {
		t.Fatalf("the recent index starts at rid %d after 100 rows more, want 300 (made again only past recentMax)", from)
	}
	sameAsOneQuery(t, s)
}

// sameAsOneQuery compares every search of stepQueries at several limits
// with the one query, and returns how many took the recent index.
func sameAsOneQuery(t *testing.T, s *sqlstore.DB) (recent int) {
	t.Helper()
	ctx := context.Background()
	d := dialect{}
	for _, q := range stepQueries {
		for _, limit := range []int{1, 5, 50, 500} {
			got, err := s.SearchIncidents(ctx, q, limit)
			if err != nil {
				t.Fatal(err)
			}
			terms, _ := store.QueryTerms(q)
			if sql, _, err := d.MatchNewest(ctx, s.SQL(), "incident", terms, limit); err != nil {
				t.Fatal(err)
			} else if strings.Contains(sql, "rid + 0 >= ") {
				recent++
			}
			match, args := d.Match("incident", terms, limit)
			want := ids(t, s.SQL(), `SELECT i.id FROM incidents i JOIN (`+match+`) m ON m.rid = i.rid ORDER BY i.rid DESC`, args...)
			var have []string
			for _, h := range got {
				have = append(have, h.ID)
			}
			if !slices.Equal(have, want) {
				t.Errorf("%q, limit %d: found %d records %v, want %d %v", q, limit, len(have), have, len(want), want)
			}
		}
	}
	return recent
}

// TestRecentFirst: the search through the recent index, taken whatever its
// cost (a share and a backward read that make it the cheaper), finds
// below a rid what the one query finds there, both when the recent rows
// hold the page and when the older ones must add to it; and so it does
// from a start that is not the index's.
func TestRecentFirst(t *testing.T) {
	ctx := context.Background()
	smallRecent(t, 100, 150)
	s := openFresh(t)
	if _, err := s.ImportIncidents(ctx, "test", storetest.NewGen(400).Batch(400), nil); err != nil {
		t.Fatal(err)
	}
	from := recentIndex(t, s.SQL(), "incidents")
	d := dialect{}
	both := false
	for _, q := range stepQueries {
		terms, _ := store.QueryTerms(q)
		// The index's own start, and starts of no index (an out-of-date
		// answer of recentStart): the same rows, without the index.
		for _, from := range []int64{from, from - 50, from + 30} {
			for _, limit := range []int{1, 5, 50, 500} {
				for _, floor := range []int64{from + 1, 380, 401} {
					sql, args, ok := recentFirst("incidents", tsquery(terms), from, 400, floor, 1e6, 1<<62, limit, 0)
					if !ok {
						t.Fatalf("recentFirst refused a search from rid %d below %d", from, floor)
					}
					have := ids(t, s.SQL(), `SELECT i.id FROM incidents i JOIN (SELECT rid FROM (`+sql+`) u LIMIT ?) m ON m.rid = i.rid ORDER BY i.rid DESC`, append(args, limit)...)
					match, margs := d.Match("incident", terms, 0)
					want := ids(t, s.SQL(), `SELECT i.id FROM incidents i JOIN (`+match+`) m ON m.rid = i.rid WHERE i.rid < ? ORDER BY i.rid DESC LIMIT ?`, append(margs, floor, limit)...)
					if !slices.Equal(have, want) {
						t.Errorf("%q, limit %d, below %d: found %v, want %v", q, limit, floor, have, want)
					}
					recentHas := len(ids(t, s.SQL(), `SELECT i.id FROM incidents i JOIN (`+match+`) m ON m.rid = i.rid WHERE i.rid >= ? AND i.rid < ?`, append(margs, from, floor)...))
					both = both || (recentHas > 0 && recentHas < len(want))
				}
			}
		}
	}
	if !both {
		t.Error("no search needed both the recent rows and older ones: the test no longer covers the second part")
	}
}

// TestRecentFirstChoice: when the search takes the recent index, with the
// figures of searches measured at 1,000,000 incidents (BENCHMARKS.md): the
// recent index from rid 980,000, the probe's window from 999,001.
func TestRecentFirstChoice(t *testing.T) {
	for _, c := range []struct {
		name  string
		found int   // matches in the probe's 1,000 rows
		from  int64 // the recent index's start
		want  bool
	}{
		// The recent rows should hold the page and cost less than 10,714
		// rows read backwards (ACLED's "journalist Basra").
		{"holds the page", 7, 980000, true},
		// Cheaper read backwards: 1,785 rows (the demo's "journalist Basra").
		{"backwards cheaper", 42, 980000, false},
		// They should not hold the page (57 matches expected for 47), and
		// the whole index's list would come next: the recent one first
		// (the demo's "lawyer Najaf": 146 there in fact).
		{"whole index next", 3, 980000, true},
		{"rare", 0, 980000, true},
		// Only 100 rows in it and 7,500 rows backwards cheaper than the
		// whole index's 10,000 matches: read backwards.
		{"few recent rows", 10, 998901, false},
	} {
		share := max(float64(c.found), 0.5) / 1000
		wider := int64(1.5 * 50 / share)
		_, _, ok := recentFirst("incidents", "x:*", c.from, 1000000, 999001, share, wider, 50, c.found)
		if ok != c.want {
			t.Errorf("%s: recentFirst took the recent index: %v, want %v", c.name, ok, c.want)
		}
	}
}

// TestRecentIndex: the recent index is made once a table has twice
// recentRows rows, made again higher up once it holds more than recentMax,
// the older one dropped; and the query's condition lets the planner use it.
func TestRecentIndex(t *testing.T) {
	ctx := context.Background()
	smallRecent(t, 100, 150)
	s := openFresh(t)
	g := storetest.NewGen(400)
	for _, step := range []struct {
		add  int
		from int64
	}{{150, 0}, {100, 150}, {50, 150}, {100, 300}} {
		if _, err := s.ImportIncidents(ctx, "test", g.Batch(step.add), nil); err != nil {
			t.Fatal(err)
		}
		if from := recentIndex(t, s.SQL(), "incidents"); from != step.from {
			t.Errorf("the recent index starts at rid %d, want %d", from, step.from)
		}
	}
	var names []string
	rows, err := s.SQL().QueryContext(ctx, `SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = to_regclass('incidents')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		if strings.Contains(n, "_search_from_") {
			names = append(names, n)
		}
	}
	rows.Close()
	if !slices.Equal(names, []string{"incidents_search_from_300"}) {
		t.Errorf("recent indexes %v, want only incidents_search_from_300", names)
	}
	// The planner takes the index for the query's condition (it would
	// read the table instead if the two texts differed).
	c, err := s.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	var plan strings.Builder
	rows, err = c.QueryContext(ctx, `EXPLAIN SELECT rid FROM incidents WHERE search @@ to_tsquery('english', 'activist:*') AND `+recentCond(300))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line string
		rows.Scan(&line)
		plan.WriteString(line + "\n")
	}
	rows.Close()
	if !strings.Contains(plan.String(), "Bitmap Index Scan on incidents_search_from_300") {
		t.Errorf("the query does not use the recent index:\n%s", plan.String())
	}
}

// TestRecentIndexAtOpen: opening a store makes the recent index when the
// table has none (a failed build, or a store from before it) and makes it
// again higher up when it holds more than recentMax rows (rows saved since
// the last import), as docs/search.md says; a large store's two-term
// searches depend on it (BENCHMARKS.md, "Search p95 on a quiet machine").
func TestRecentIndexAtOpen(t *testing.T) {
	ctx := context.Background()
	smallRecent(t, 100, 150)
	url := freshSchema(t)
	s, err := Open(ctx, url, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportIncidents(ctx, "test", storetest.NewGen(400).Batch(400), nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, c := range []struct {
		name  string
		setup []string
	}{
		{"none", []string{`DROP INDEX ` + recentName("incidents", 300)}},
		// From rid 200 it holds 200 rows, more than recentMax.
		{"too large", []string{`CREATE INDEX ` + recentName("incidents", 200) + ` ON incidents USING gin (search) WHERE ` + recentCond(200),
			`DROP INDEX ` + recentName("incidents", 300)}},
	} {
		s, err := Open(ctx, url, storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range c.setup {
			if _, err := s.SQL().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if from := recentIndex(t, s.SQL(), "incidents"); from == 300 {
			t.Fatalf("%s: the setup left the index from rid 300", c.name)
		}
		s.Close()
		if s, err = Open(ctx, url, storetest.AuditKey); err != nil {
			t.Fatal(err)
		}
		if from := recentIndex(t, s.SQL(), "incidents"); from != 300 {
			t.Errorf("%s: after open the recent index starts at rid %d, want 300", c.name, from)
		}
		var n int
		if err := s.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_index WHERE indrelid = to_regclass('incidents')
			AND CAST(indexrelid AS regclass)::text LIKE '%\_search\_from\_%'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%s: %d recent indexes after open (%v), want 1", c.name, n, err)
		}
		s.Close()
	}
}

// recentIndex is the first rid of table's valid recent index, 0 if none.
func recentIndex(t *testing.T, db *sql.DB, table string) int64 {
	t.Helper()
	var from int64
	if err := db.QueryRow(dialect{}.Rebind(recentFrom), table, table+"_search_from_").Scan(&from); err != nil {
		t.Fatal(err)
	}
	return from
}

func ids(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(dialect{}.Rebind(q), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

// smallRecent makes the recent index small for one test: made once a
// table holds twice rows, made again higher up above max.
func smallRecent(t *testing.T, rows, max int64) {
	r, m := recentRows, recentMax
	t.Cleanup(func() { recentRows, recentMax = r, m })
	recentRows, recentMax = rows, max
}

// openFresh opens a store in a fresh schema, closed when the test ends.
func openFresh(t *testing.T) *sqlstore.DB {
	s, err := Open(context.Background(), freshSchema(t), storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
