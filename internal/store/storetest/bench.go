package storetest

// Benchmark helpers shared by the SQLite and PostgreSQL benchmarks
// (bench_test.go in each backend). They only run under `go test -bench`;
// bench/store.sh runs them at full size and BENCHMARKS.md has the results.

import (
	"bytes"
	"context"
	"math"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// BenchEnv is the benchmarks' configuration, from the environment so that
// plain `go test -bench . -benchtime 1x` stays small and quick.
type BenchEnv struct {
	N     int    // RASD_BENCH_N: incidents to import or search over (default 2000)
	Batch int    // RASD_BENCH_BATCH: incidents per ImportIncidents call; 0 = all in one call (default 50000)
	Dir   string // RASD_BENCH_DIR: where databases are kept between runs; "" = a temporary directory
}

// Env reads the benchmark configuration.
func Env() BenchEnv {
	e := BenchEnv{N: 2000, Batch: 50000, Dir: os.Getenv("RASD_BENCH_DIR")}
	if v, err := strconv.Atoi(os.Getenv("RASD_BENCH_N")); err == nil && v > 0 {
		e.N = v
	}
	if v, err := strconv.Atoi(os.Getenv("RASD_BENCH_BATCH")); err == nil && v >= 0 {
		e.Batch = v
	}
	if e.Batch == 0 || e.Batch > e.N {
		e.Batch = e.N
	}
	return e
}

// The rare name planted in about ten incidents of every generated sample
// (the demo's names are drawn from short lists, so none of them is rare).
const (
	RareLatin  = "Qahtan Zumurrud al-Ubaidi"
	RareArabic = "قحطان زمرّد العبيدي"
)

// Gen yields the benchmark's incidents: the deterministic demo sample
// (seed 1) with an ACLED-style external key on each, as a real import has,
// so ImportIncidents does its per-record upsert lookup.
type Gen struct {
	g          *demo.Generator
	i, n, rare int
}

// NewGen returns a generator of n incidents.
func NewGen(n int) *Gen {
	return &Gen{g: demo.New(demo.Options{Incidents: n, Seed: 1}), n: n, rare: max(n/10, 1)}
}

// Batch returns up to size more incidents, or nil at the end.
func (g *Gen) Batch(size int) []model.Incident {
	var out []model.Incident
	for len(out) < size {
		inc, ok := g.g.Next()
		if !ok {
			break
		}
		id := "BNCH" + strconv.Itoa(g.i+1)
		inc.External = &model.External{System: "acled", ID: id, Original: map[string]string{
			"event_id_cnty": id, "event_date": inc.Date.Start, "admin1": inc.Place.Admin1,
			"fatalities": strconv.Itoa(inc.Fatalities)}}
		if g.i%g.rare == g.rare/2 {
			p := inc.Victims[0].Person
			p.NameLatin, p.NameAR = RareLatin, RareArabic
			// Searchable: a restricted record's text is sealed, not indexed.
			inc.Visibility, p.Visibility = model.VisibilityInternal, model.VisibilityInternal
		}
		g.i++
		out = append(out, inc)
	}
	return out
}

// Import measures ImportIncidents of env.N generated incidents in batches of
// env.Batch into a store made by open (fresh for each iteration). Only the
// ImportIncidents calls are timed; generating the incidents is not.
// size, if not nil, gives the database's size in bytes after the import.
func Import(b *testing.B, env BenchEnv, open func(b *testing.B) store.Store, size func() int64) {
	ctx := context.Background()
	var elapsed, cpu time.Duration
	var dbSize int64
	ResetPeakRSS()
	b.ResetTimer()
	b.StopTimer()
	for range b.N {
		s := open(b)
		g := NewGen(env.N)
		total := 0
		for batch := g.Batch(env.Batch); len(batch) > 0; batch = g.Batch(env.Batch) {
			b.StartTimer()
			t0, c0 := time.Now(), CPUTime()
			res, err := s.ImportIncidents(ctx, "bench", batch, nil)
			elapsed, cpu = elapsed+time.Since(t0), cpu+CPUTime()-c0
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			if res.Created != len(batch) {
				b.Fatalf("import created %d of %d", res.Created, len(batch))
			}
			total += len(batch)
		}
		if total != env.N {
			b.Fatalf("imported %d, want %d", total, env.N)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		if size != nil {
			dbSize = size()
		}
	}
	b.ReportMetric(float64(env.N)*float64(b.N)/elapsed.Seconds(), "rows/s")
	// CPU time of the whole process (all threads, GC included) per 1,000
	// incidents: steadier than rows/s when other work shares the machine.
	b.ReportMetric(cpu.Seconds()*1000/(float64(env.N)*float64(b.N)), "cpu-s/1k-rows")
	if size != nil {
		b.ReportMetric(float64(dbSize)/1e6, "MB-db")
	}
	b.ReportMetric(PeakRSSMB(), "peak-rss-MB")
}

// Query is one search of the benchmark.
type Query struct {
	Name, Text string
	MinHits    int // a sanity check that the query finds what it should
}

// Queries are the searches measured: a rare name, a common word, two
// terms, and two rarer terms, in Arabic and English. Two terms match about
// 5% of the demo's incidents; two rarer terms about 0.8%, the band where
// neither the newest rows nor the whole text index is quick on PostgreSQL
// (BENCHMARKS.md, "Two terms at 1,000,000").
func Queries(n int) []Query {
	rare := min(n, 10) // planted in about ten incidents (fewer in small samples)
	return []Query{
		{"ar-rare-name", "زمرد", rare},
		{"ar-common-word", "الناشط", 50},
		{"ar-two-terms", "الصحفي البصرة", 10},
		{"ar-two-rarer-terms", "المحامي النجف", 10},
		{"en-rare-name", "Zumurrud", rare},
		{"en-common-word", "activist", 50},
		{"en-two-terms", "journalist Basra", 10},
		{"en-two-rarer-terms", "lawyer Najaf", 10},
	}
}

// SearchLimit is the page size asked of SearchIncidents.
const SearchLimit = 50

// Search measures SearchIncidents for each query as a sub-benchmark: one
// query per iteration (use -benchtime 500x for stable percentiles), each
// timed on its own; p50-ms and p95-ms are percentiles of those timings,
// and cpu-ms the CPU time per query of this process and of server (a
// database server's process, if not nil): on a loaded machine the wall
// times wait for a core, the CPU times do not.
func Search(b *testing.B, s store.Store, n int, server func() time.Duration) {
	ctx := context.Background()
	if server == nil {
		server = func() time.Duration { return 0 }
	}
	for _, q := range Queries(n) {
		b.Run(q.Name, func(b *testing.B) {
			hits, err := s.SearchIncidents(ctx, q.Text, SearchLimit) // warm the cache once
			if err != nil {
				b.Fatal(err)
			}
			if want := min(q.MinHits, SearchLimit); len(hits) < want && n >= 1000 {
				b.Fatalf("%q found %d incidents, want at least %d", q.Text, len(hits), want)
			}
			times := make([]time.Duration, 0, b.N)
			c0 := CPUTime() + server()
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				hits, err = s.SearchIncidents(ctx, q.Text, SearchLimit)
				times = append(times, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(CPUTime()+server()-c0)/float64(b.N)/1e6, "cpu-ms")
			b.ReportMetric(Percentile(times, 50), "p50-ms")
			b.ReportMetric(Percentile(times, 95), "p95-ms")
			b.ReportMetric(float64(len(hits)), "hits")
		})
	}
}

// Percentile returns the p-th percentile of ts in milliseconds, by the
// nearest-rank method.
func Percentile(ts []time.Duration, p float64) float64 {
	if len(ts) == 0 {
		return 0
	}
	s := slices.Clone(ts)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return float64(s[max(i, 0)]) / float64(time.Millisecond)
}

// ResetPeakRSS resets the process's peak resident set size (Linux), so the
// next PeakRSSMB covers only what follows.
func ResetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

var hwm = regexp.MustCompile(`VmHWM:\s+(\d+) kB`)

// PeakRSSMB is the process's peak resident set size in MB (Linux; 0
// elsewhere).
func PeakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	m := hwm.FindSubmatch(b)
	if m == nil {
		return 0
	}
	kb, _ := strconv.ParseFloat(string(bytes.TrimSpace(m[1])), 64)
	return kb / 1024
}

// Verify runs store.VerifyAudit b.N times and reports its rate and the
// most heap it held (sampled every 10 ms): it must not grow with the
// database.
func Verify(b *testing.B, s store.Store) {
	ctx := context.Background()
	runtime.GC() // what building the database left is not verify's
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	var rep store.VerifyReport
	start, cpu := time.Now(), CPUTime()
	for b.Loop() {
		var err error
		if rep, err = s.VerifyLog(ctx, store.VerifyOptions{Key: AuditKey}); err != nil {
			b.Fatal(err)
		}
	}
	elapsed, cpu := time.Since(start), CPUTime()-cpu
	close(stop)
	<-done
	// CPU time too: on a shared machine the wall clock says little.
	b.ReportMetric(float64(rep.Entries)*float64(b.N)/elapsed.Seconds(), "entries/s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(rep.Versions), "versions")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
