package duplicates_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/duplicates"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// BenchmarkDuplicates times, over a store of RASD_BENCH_N generated demo
// incidents (every 25th reported twice; default 2,000), the candidates of
// one new incident (duplicates.For, as on save: RASD_BENCH_Q new
// incidents of another seed, default 200; p50-ms, p95-ms) and the whole list
// (duplicates.Find, as `rasd duplicates`: find-s, find-cpu-s), on both
// backends (SKIP_PG=1: SQLite only). Run it once (-benchtime 1x): it
// builds its store first with one import (build-s, build-cpu-s), outside
// the timings.
//
//	SKIP_PG=1 RASD_BENCH_N=1000000 go test ./internal/duplicates -run '^$' -bench Duplicates -benchtime 1x -timeout 0
//
// With RASD_BENCH_DIR set, the SQLite store is kept there (dups-N.db) and
// the next run of the same size uses it without building it again (no
// build-s then): delete it after a change of the blocking rows.
func BenchmarkDuplicates(b *testing.B) {
	env := storetest.Env()
	q := 200
	if v, err := strconv.Atoi(os.Getenv("RASD_BENCH_Q")); err == nil && v > 0 {
		q = v
	}
	run := func(b *testing.B, st store.Store) {
		ctx := context.Background()
		built := ""
		if env.Dir != "" {
			built = filepath.Join(env.Dir, fmt.Sprintf("dups-%d.built", env.N))
		}
		if _, err := os.Stat(built); built != "" && err == nil {
			benchLookups(b, st, env.N, q, -1, -1)
			return
		}
		// The demo sample with every 25th event reported twice (as rasd
		// demo writes it), so that there are pairs to find, stored by one
		// import, as `rasd import` stores a file (a first load: indexes
		// built once at its end).
		t0, c0 := time.Now(), cpuTime()
		records := func(yield func(*model.Incident) error) error {
			g := demo.New(demo.Options{Incidents: env.N, Seed: 1, Twice: 25})
			for {
				inc, ok := g.Next()
				if !ok {
					return nil
				}
				if err := yield(&inc); err != nil {
					return err
				}
			}
		}
		if _, err := st.ImportEach(ctx, "bench", env.N, records, nil); err != nil {
			b.Fatal(err)
		}
		buildS, buildCPU := time.Since(t0).Seconds(), (cpuTime() - c0).Seconds()
		if built != "" {
			if err := os.WriteFile(built, nil, 0o600); err != nil {
				b.Fatal(err)
			}
		}
		benchLookups(b, st, env.N, q, buildS, buildCPU)
	}
	if env.Dir == "" {
		teststores.BenchBulk(b, run)
		return
	}
	b.Run("sqlite", func(b *testing.B) {
		if err := os.MkdirAll(env.Dir, 0o700); err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(env.Dir, fmt.Sprintf("dups-%d.db", env.N))
		if _, err := os.Stat(filepath.Join(env.Dir, fmt.Sprintf("dups-%d.built", env.N))); err != nil {
			for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
				os.Remove(path + suffix) // a build left unfinished
			}
		}
		st, err := sqlite.Open(context.Background(), path, benchKey, storetest.AuditKey, sqlite.BulkImports())
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		run(b, st)
	})
}

// benchKey encrypts the store kept in RASD_BENCH_DIR. Not a secret.
var benchKey = func() []byte { k := sha256.Sum256([]byte("rasd duplicates benchmark key: not a secret")); return k[:] }()

// benchLookups times the lookups and the list over st (built in buildS
// seconds, -1 when it was kept from a run before).
func benchLookups(b *testing.B, st store.Store, n, q int, buildS, buildCPU float64) {
	ctx := context.Background()
	{
		fresh := demo.Incidents(demo.Options{Incidents: q, Seed: 77})
		b.ResetTimer()
		for range b.N {
			times := make([]time.Duration, 0, q)
			found := 0
			cpu := cpuTime()
			for i := range fresh {
				t0 := time.Now()
				ps, err := duplicates.For(ctx, st, &fresh[i], duplicates.DefaultMin)
				times = append(times, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
				found += len(ps)
			}
			b.ReportMetric(storetest.Percentile(times, 50), "p50-ms")
			b.ReportMetric(storetest.Percentile(times, 95), "p95-ms")
			b.ReportMetric((cpuTime()-cpu).Seconds()*1000/float64(q), "cpu-ms/candidates")
			b.ReportMetric(float64(found)/float64(q), "proposed/incident")
			if os.Getenv("RASD_BENCH_NO_LIST") != "" { // lookups only, to compare them quickly
				continue
			}
			cpu, t0 := cpuTime(), time.Now()
			pairs, err := duplicates.Find(ctx, st, duplicates.DefaultMin)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(t0).Seconds(), "find-s")
			b.ReportMetric((cpuTime() - cpu).Seconds(), "find-cpu-s")
			b.ReportMetric(float64(len(pairs)), "pairs")
		}
		b.ReportMetric(float64(n), "incidents")
		if buildS >= 0 {
			b.ReportMetric(buildS, "build-s") // after the loop: ResetTimer drops metrics reported before it
			b.ReportMetric(buildCPU, "build-cpu-s")
		}
	}
}

// cpuTime is the CPU time (user and system) of this process so far: the
// server's too, for SQLite, which runs in it; PostgreSQL's is not counted.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
