package portal_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/portal"
)

// BenchmarkPublish generates the site of RASD_BENCH_N demo incidents
// (default 2,000; about 40% are public) into a temporary directory, once
// per iteration. bench/publish.sh times the same through the binary.
func BenchmarkPublish(b *testing.B) {
	n := 2000
	if s := os.Getenv("RASD_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	st := openStore(b)
	gen := demo.New(demo.Options{Incidents: n, Seed: 1})
	for done := 0; done < n; {
		batch := make([]model.Incident, 0, min(20000, n-done))
		for len(batch) < cap(batch) {
			inc, _ := gen.Next()
			batch = append(batch, inc)
		}
		if _, err := st.ImportIncidents(ctx, "bench", batch, nil); err != nil {
			b.Fatal(err)
		}
		done += len(batch)
	}
	b.ResetTimer()
	for b.Loop() {
		rep, err := portal.Generate(ctx, st, portal.NewDir(b.TempDir()), portal.Options{Now: today, BaseURL: "https://example.org/"})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rep.Incidents), "public")
		b.ReportMetric(float64(rep.Files), "files")
	}
}
