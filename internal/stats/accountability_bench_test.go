package stats_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// BenchmarkAccountabilityFigures times the commitment figures and the
// impunity figures (the store-counted paths: stats.CountCommitmentsPage
// and stats.CountImpunityPage, with a receipt page of 50) over
// RASD_BENCH_N generated incidents (default 2,000), on SQLite and, unless
// SKIP_PG=1, PostgreSQL. Each figure is computed 20 times per iteration;
// p50-ms and p95-ms are over those timings, cpu-ms-per-op the process's
// user+system CPU time per figure. Results: BENCHMARKS.md
// ("Accountability figures").
//
// The data: the first RASD_BENCH_BASE incidents (default 50,000, or N if
// fewer) are imported as 'rasd import' imports a file, RASD_BENCH_BATCH
// (50,000) at a time, each import adding in its own transaction a trial
// on every twentieth incident and a conviction of its gunman on every
// sixtieth (store.ImportThen), so the impunity classes are kept as a CPJ
// import keeps them. The rest, a bench-only shortcut, are copies of
// those made in SQL (INSERT … SELECT, a new id, code and external key):
// the incident rows and their rows of the impunity table, not their
// victims, facts, search text, history or audit, which these figures do
// not read; importing 1,000,000 the store's way takes most of an hour on
// this machine (BENCHMARKS.md, "Import"). There are N/10
// commitments: 1,000 (or N/10 if fewer) made through the store, of every
// status, a third of them past their deadline; the rest, a bench-only
// shortcut documented here, are copies of those rows made by one SQL
// statement each (INSERT … SELECT: same columns, the due day and status
// the store computed, no history or audit of their own), since 100,000
// writes of one record each would take longer than the figures are
// worth measuring. The running totals of the commitments (migration
// 0039) are then counted again as the migration counts them.
func BenchmarkAccountabilityFigures(b *testing.B) {
	env := storetest.Env()
	teststores.Bench(b, func(b *testing.B, st store.Store) {
		ctx := context.Background()
		t0, c0 := time.Now(), cpuTime()
		base := env.N
		if v, err := strconv.Atoi(os.Getenv("RASD_BENCH_BASE")); err == nil && v > 0 {
			base = min(v, env.N)
		} else {
			base = min(50000, env.N)
		}
		importEnv := env
		importEnv.N, importEnv.Batch = base, min(env.Batch, base)
		loadIncidents(b, st, importEnv)
		copyIncidents(b, st, env.N-base)
		loadCommitments(b, st, env.N/10)
		b.Logf("%s: loaded %d incidents and %d commitments in %s wall, %s CPU", st.Backend(), env.N, env.N/10,
			time.Since(t0).Round(time.Second), (cpuTime() - c0).Round(time.Second))
		today := accountability.Date(2026, 12, 7)
		public := store.Visible{Levels: []string{model.VisibilityPublic}}
		for _, f := range []struct {
			name string
			run  func() (int, error)
		}{
			{"commitments", func() (int, error) {
				c, err := stats.CountCommitmentsPage(ctx, st, store.Visible{}, public, today, 50)
				return c.Total, err
			}},
			{"impunity", func() (int, error) {
				i, err := stats.CountImpunityPage(ctx, st, stats.Query{MinVerification: "reported"}, "IQ", public, today.Time(), 50)
				return i.Murders, err
			}},
		} {
			b.Run(f.name, func(b *testing.B) {
				var times []time.Duration
				c0 := cpuTime()
				n := 0
				for b.Loop() {
					for range 20 {
						t0 := time.Now()
						if _, err := f.run(); err != nil {
							b.Fatal(err)
						}
						times = append(times, time.Since(t0))
						n++
					}
				}
				counted, _ := f.run()
				b.ReportMetric(float64(counted), "counted")
				b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(n), "cpu-ms-per-op")
				b.ReportMetric(storetest.Percentile(times, 50), "p50-ms")
				b.ReportMetric(storetest.Percentile(times, 95), "p95-ms")
			})
		}
	})
}

// loadIncidents imports env.N generated incidents with their judicial
// steps, a batch per transaction.
func loadIncidents(b *testing.B, st store.Store, env storetest.BenchEnv) {
	ctx := context.Background()
	gen := storetest.NewGen(env.N)
	for nb := 0; ; nb++ {
		batch := gen.Batch(env.Batch)
		if batch == nil {
			return
		}
		system := fmt.Sprintf("bench%d", nb) // ExternalIDs reads this batch's alone
		for i := range batch {
			batch[i].External.System = system
		}
		records := func(yield func(*model.Incident) error) error {
			for i := range batch {
				inc := batch[i]
				x := *inc.External
				inc.External = &x
				if err := yield(&inc); err != nil {
					return err
				}
			}
			return nil
		}
		then := func(ctx context.Context, tx store.ImportTx) error {
			ids, err := tx.ExternalIDs(ctx, system)
			if err != nil {
				return err
			}
			for i := 0; i < len(batch); i += 20 {
				id := ids[batch[i].External.ID]
				steps := []model.JudicialStep{{Incident: id, Step: accountability.Trial, Date: "2021-01-01"}}
				if i%60 == 0 {
					steps = append(steps, model.JudicialStep{Incident: id, Step: accountability.Convicted, Date: "2021-06-01",
						Who: "gunman", Role: accountability.RolePerpetrator})
				}
				for _, s := range steps {
					s.Visibility = model.VisibilityInternal
					if err := tx.AddJudicialStep(ctx, &s); err != nil {
						return err
					}
				}
			}
			return nil
		}
		if _, err := st.ImportEachThen(ctx, "bench", len(batch), records, nil, then); err != nil {
			b.Fatal(err)
		}
	}
}

// copyIncidents adds n copies of the incidents stored, with their rows of
// the impunity table (see the benchmark's comment).
func copyIncidents(b *testing.B, st store.Store, n int) {
	if n <= 0 {
		return
	}
	ctx := context.Background()
	db := st.(interface{ SQL() *sql.DB }).SQL()
	catalogue := `SELECT name FROM pragma_table_info('incidents') ORDER BY cid`
	ph := func(i int) string { return fmt.Sprintf("?%d", i) } // numbered: one value in several places
	if st.Backend() == "postgres" {
		catalogue = `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()
			AND table_name = 'incidents' ORDER BY ordinal_position`
		ph = func(i int) string { return fmt.Sprintf("$%d", i) }
	}
	rows, err := db.QueryContext(ctx, catalogue)
	if err != nil {
		b.Fatal(err)
	}
	var cols, sel []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		if c == "rid" {
			continue
		}
		cols = append(cols, c)
		switch c {
		case "id", "code", "ext_id":
			sel = append(sel, c+" || "+ph(1))
		default:
			sel = append(sel, c)
		}
	}
	rows.Close()
	var last int64
	var have int
	if err := db.QueryRowContext(ctx, `SELECT MAX(rid), COUNT(*) FROM incidents`).Scan(&last, &have); err != nil {
		b.Fatal(err)
	}
	copyInc := `INSERT INTO incidents (` + strings.Join(cols, ", ") + `) SELECT ` + strings.Join(sel, ", ") +
		` FROM incidents WHERE rid <= ` + ph(2) + ` ORDER BY rid LIMIT ` + ph(3)
	copyImp := `INSERT INTO impunity SELECT n.rid, m.type, m.admin1, m.country, m.date_start, m.date_end, m.date_precision,
		m.date_estimated, m.verification, m.merged_into, m.visibility, m.class_open, m.class_all
		FROM impunity m JOIN incidents o ON o.rid = m.incident_rid JOIN incidents n ON n.id = o.id || ` + ph(1) +
		` WHERE m.incident_rid <= ` + ph(2)
	for k := 1; n > 0; k++ {
		sfx := fmt.Sprintf("-copy%d", k)
		m := min(n, have)
		if _, err := db.ExecContext(ctx, copyInc, sfx, last, m); err != nil {
			b.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, copyImp, sfx, last); err != nil {
			b.Fatal(err)
		}
		n -= m
	}
	// On PostgreSQL, what autovacuum does soon after a load this size (as
	// for the commitments below): the planner's statistics of the rows
	// copied in SQL, and the visibility map (BENCHMARKS.md, run 7).
	if st.Backend() == "postgres" {
		if _, err := db.ExecContext(ctx, `VACUUM ANALYZE impunity, incidents`); err != nil {
			b.Fatal(err)
		}
	}
}

// loadCommitments stores n commitments (see the benchmark's comment).
func loadCommitments(b *testing.B, st store.Store, n int) {
	ctx := context.Background()
	cs := store.Of[model.Commitment](st, kinds.Commitment)
	made := min(n, 1000)
	for i := range made {
		c := model.Commitment{AuthorityType: "prime_minister", MadeOn: fmt.Sprintf("20%02d-01-12", 10+i%15), Kind: "investigation",
			PromiseEN: "Results", DeadlineDuration: "3m", Visibility: []string{model.VisibilityPublic, model.VisibilityInternal}[i%2]}
		switch i % 3 {
		case 1:
			c.StatusHistory = []string{c.MadeOn + " fulfilled"}
		case 2:
			c.StatusHistory = []string{c.MadeOn + " broken"}
		}
		if err := cs.Create(ctx, "bench", &c); err != nil {
			b.Fatal(err)
		}
	}
	db := st.(interface{ SQL() *sql.DB }).SQL()
	const cols = `authority_type, authority, made_on, kind, promise_ar, promise_en, deadline_date, deadline_duration,
		status_history, incidents, persons, sources, visibility, version, created_at, updated_at, created_by, updated_by,
		search_text, due_on, status`
	q := `INSERT INTO commitments (id, ` + cols + `) SELECT id || ?, ` + cols + ` FROM commitments WHERE rid <= ? ORDER BY rid LIMIT ?`
	if st.Backend() == "postgres" {
		q = `INSERT INTO commitments (id, ` + cols + `) SELECT id || $1, ` + cols + ` FROM commitments WHERE rid <= $2 ORDER BY rid LIMIT $3`
	}
	var first int64
	if err := db.QueryRowContext(ctx, `SELECT MAX(rid) FROM commitments`).Scan(&first); err != nil {
		b.Fatal(err)
	}
	for k, left := 1, n-made; left > 0; k++ {
		if _, err := db.ExecContext(ctx, q, fmt.Sprintf("-copy%d", k), first, min(left, made)); err != nil {
			b.Fatal(err)
		}
		left -= made
	}
	// The copies bypass the store, so their running totals (migration
	// 0039) are counted again as the migration counts them.
	for _, q := range []string{`DELETE FROM commitment_totals`, `INSERT INTO commitment_totals (visibility, status, created_by, n)
		SELECT visibility, status, CASE WHEN visibility = 'restricted' THEN created_by ELSE '' END, COUNT(*)
		FROM commitments GROUP BY visibility, status, CASE WHEN visibility = 'restricted' THEN created_by ELSE '' END`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	// On PostgreSQL, what autovacuum does within a minute of a load this
	// size: the planner's statistics, and the visibility map without which
	// counting along an index visits every row it counts in the table.
	if st.Backend() == "postgres" {
		if _, err := db.ExecContext(ctx, `VACUUM ANALYZE commitments`); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
