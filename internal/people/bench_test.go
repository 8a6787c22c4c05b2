package people_test

import (
	"context"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/people"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// BenchmarkMatches times people.Matches (the proposals of a person's page
// and of an import) for persons of a store holding the victims of
// RASD_BENCH_N generated incidents (storetest.NewGen), on both backends;
// p50-ms and p95-ms over RASD_BENCH_Q persons sampled (default 300), and
// the CPU time of one. Run it once (-benchtime 1x): it builds its store
// first, untimed, at every run.
//
//	SKIP_PG=1 RASD_BENCH_N=84000 go test ./internal/people -run '^$' -bench Matches -benchtime 1x -timeout 0
func BenchmarkMatches(b *testing.B) {
	env := storetest.Env()
	teststores.Bench(b, func(b *testing.B, st store.Store) {
		ctx := context.Background()
		g := storetest.NewGen(env.N)
		for batch := g.Batch(env.Batch); len(batch) > 0; batch = g.Batch(env.Batch) {
			if _, err := st.ImportIncidents(ctx, "bench", batch, nil); err != nil {
				b.Fatal(err)
			}
		}
		all := store.Visible{Levels: []string{model.VisibilityInternal, model.VisibilityPublic}}
		sample, total, err := st.Persons().List(ctx, store.ListFilter{Visible: all, Limit: 1000})
		if err != nil || len(sample) == 0 {
			b.Fatalf("no persons: %v", err)
		}
		pp := people.New(st, time.Now)
		u := &model.User{Username: "bench", Role: model.RoleCoordinator}
		q := 300
		if v, err := strconv.Atoi(os.Getenv("RASD_BENCH_Q")); err == nil && v > 0 {
			q = v
		}
		times := make([]time.Duration, 0, q*b.N)
		found := 0
		var ru0 syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
		b.ResetTimer()
		for i := range q * b.N {
			p := sample[(i*7919)%len(sample)]
			t0 := time.Now()
			cs, err := pp.Matches(ctx, u, &p)
			times = append(times, time.Since(t0))
			if err != nil {
				b.Fatal(err)
			}
			found += len(cs)
		}
		b.StopTimer()
		var ru1 syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
		cpu := time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
		b.ReportMetric(cpu.Seconds()*1000/float64(q*b.N), "cpu-ms/match") // SQLite runs in this process; PostgreSQL's CPU is not counted
		b.ReportMetric(storetest.Percentile(times, 50), "p50-ms")
		b.ReportMetric(storetest.Percentile(times, 95), "p95-ms")
		b.ReportMetric(float64(total), "persons")
		b.ReportMetric(float64(found)/float64(q*b.N), "proposed/match")
	})
}
