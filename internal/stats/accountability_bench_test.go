package stats_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// BenchmarkAccountabilityFigures times the commitment figures and the
// impunity figures over RASD_BENCH_N generated incidents (default 2,000)
// with a tenth as many commitments, a third of them overdue, and a
// judicial step on every twentieth incident. Each figure is computed 20
// times per iteration; p50-ms and p95-ms are over those timings.
// Results: BENCHMARKS.md ("Accountability figures").
func BenchmarkAccountabilityFigures(b *testing.B) {
	env := storetest.Env()
	ctx := context.Background()
	st := open(b)
	gen := storetest.NewGen(env.N)
	var ids []string
	for {
		batch := gen.Batch(50000)
		if batch == nil {
			break
		}
		if _, err := st.ImportIncidents(ctx, "bench", batch, nil); err != nil {
			b.Fatal(err)
		}
		for _, inc := range batch {
			ids = append(ids, inc.ID)
		}
	}
	cs := store.Of[model.Commitment](st, kinds.Commitment)
	steps := store.Of[model.JudicialStep](st, kinds.JudicialStep)
	for i := 0; i < env.N/10; i++ {
		c := model.Commitment{AuthorityType: "prime_minister", MadeOn: fmt.Sprintf("20%02d-01-12", 10+i%15), Kind: "investigation",
			PromiseEN: "Results", DeadlineDuration: "3m", Incidents: []string{ids[i*10%len(ids)]}, Visibility: model.VisibilityPublic}
		if i%3 != 0 {
			c.StatusHistory = []string{c.MadeOn + " fulfilled"}
		}
		if err := cs.Create(ctx, "bench", &c); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < len(ids); i += 20 {
		s := model.JudicialStep{Incident: ids[i], Step: "trial", Date: "2020-01-01", Visibility: model.VisibilityInternal}
		if err := steps.Create(ctx, "bench", &s); err != nil {
			b.Fatal(err)
		}
	}
	today := accountability.Date(2026, 12, 7)
	public := store.Visible{Levels: []string{model.VisibilityPublic}}
	for _, f := range []struct {
		name string
		run  func() error
	}{
		{"commitments", func() error { _, err := stats.CountCommitments(ctx, st, store.Visible{}, public, today); return err }},
		{"impunity", func() error {
			_, err := stats.CountImpunity(ctx, st, stats.Query{MinVerification: "reported"}, "IQ", public, today.Time())
			return err
		}},
	} {
		b.Run(f.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				for range 20 {
					t0 := time.Now()
					if err := f.run(); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(t0))
				}
			}
			b.ReportMetric(storetest.Percentile(times, 50), "p50-ms")
			b.ReportMetric(storetest.Percentile(times, 95), "p95-ms")
		})
	}
}
