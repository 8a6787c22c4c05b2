package sqlite

// BenchmarkCount measures the statistics queries (package stats) over
// RASD_BENCH_N demo incidents (default 20,000) in the encrypted store. The
// database is kept in RASD_BENCH_DIR if set, so a second run skips the
// import; building a million takes a while.
//
//	RASD_BENCH_N=1000000 RASD_BENCH_DIR=/var/tmp/rasd-bench go test ./internal/store/sqlite -run '^$' -bench Count -benchtime 100x -timeout 0

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// statsBenchKey encrypts the kept database. Not a secret.
var statsBenchKey = func() []byte { k := sha256.Sum256([]byte("rasd stats benchmark key: not a secret")); return k[:] }()

// statsBenchQueries are dashboard questions with three filters each,
// relative to the last day of the demo's range. The first is the target's
// case (type, governorate, a year); the others count over seven years or
// filter on perpetrators or victims, which costs one lookup per candidate
// incident.
func statsBenchQueries() map[string]stats.Query {
	today := time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	return map[string]stats.Query{
		"1-killing+Baghdad+last-365d": {Types: []string{"killing"}, Governorates: []string{"IQ-BG"}, Window: stats.LastDays(today, 365)},
		"2-killing+Baghdad+since-2019-10-by-month": {Types: []string{"killing"}, Governorates: []string{"IQ-BG"},
			Window: stats.Since("2019-10-01"), By: stats.ByMonth},
		"3-Basra+militia+2020-by-month": {Governorates: []string{"IQ-BA"}, Perpetrators: []string{"militia"},
			Window: stats.Between("2020-01-01", "2020-12-31"), By: stats.ByMonth},
		"4-kidnapping+journalists+since-2019-10": {Types: []string{"kidnapping"}, Roles: []string{"journalist"}, Window: stats.Since("2019-10-01")},
	}
}

func BenchmarkCount(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("RASD_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	s := statsBenchStore(b, n)
	ctx := context.Background()
	queries := statsBenchQueries()
	names := make([]string, 0, len(queries))
	for name := range queries {
		names = append(names, name)
	}
	slices.Sort(names)
	measure := func(b *testing.B, fn func() (int, error)) {
		found, err := fn() // warm the cache once
		if err != nil {
			b.Fatal(err)
		}
		times := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for range b.N {
			t0 := time.Now()
			_, err := fn()
			times = append(times, time.Since(t0))
			if err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(statsPercentile(times, 50), "p50-ms")
		b.ReportMetric(statsPercentile(times, 95), "p95-ms")
		b.ReportMetric(float64(found), "incidents")
	}
	// Each query for a reader who may see every restricted incident (a
	// coordinator) and for one who may see none (the public, and every
	// other role but for their own): theirs leaves the restricted
	// incidents out (docs/counting.md, "What a figure may reveal").
	readers := []struct {
		name string
		v    store.Visible
	}{{"sees-all", store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}},
		{"public", store.Visible{Levels: []string{model.VisibilityPublic}}}}
	for _, name := range names {
		for _, r := range readers {
			q := queries[name]
			q.Reader = r.v
			b.Run(name+"/"+r.name, func(b *testing.B) {
				measure(b, func() (int, error) {
					res, err := stats.Count(ctx, s, q)
					return res.Total.Incidents, err
				})
			})
		}
	}
	// The first page of a public receipt, as the portal shows it.
	q := queries["1-killing+Baghdad+last-365d"]
	q.Reader = readers[1].v
	b.Run("5-receipt-page-public", func(b *testing.B) {
		measure(b, func() (int, error) {
			rc, err := stats.Receipt(ctx, s, q, q.Reader, 50, 0)
			return rc.Total, err
		})
	})
}

// statsBenchStore opens the benchmark's database of n demo incidents,
// building it first if it is missing or of another size.
func statsBenchStore(b *testing.B, n int) *sqlstore.DB {
	ctx := context.Background()
	dir := os.Getenv("RASD_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("stats-%d.db", n))
	s, err := Open(ctx, path, statsBenchKey, storetest.AuditKey)
	if err != nil {
		b.Fatal(err)
	}
	var have int
	if err := s.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM incidents`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have == n {
		b.Cleanup(func() { s.Close() })
		return s
	}
	s.Close()
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
	b.Logf("building a database of %d demo incidents in %s", n, path)
	if s, err = Open(ctx, path, statsBenchKey, storetest.AuditKey); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	g := demo.New(demo.Options{Incidents: n, Seed: 1})
	for done := 0; done < n; {
		batch := make([]model.Incident, 0, min(50000, n-done))
		for len(batch) < cap(batch) {
			inc, _ := g.Next()
			batch = append(batch, inc)
		}
		if _, err := s.ImportIncidents(ctx, "bench", batch, nil); err != nil {
			b.Fatal(err)
		}
		done += len(batch)
	}
	return s
}

// statsPercentile is the p-th percentile of ts in milliseconds (nearest
// rank).
func statsPercentile(ts []time.Duration, p float64) float64 {
	if len(ts) == 0 {
		return 0
	}
	s := slices.Clone(ts)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return float64(s[max(i, 0)]) / float64(time.Millisecond)
}
