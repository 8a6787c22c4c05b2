package postgres

// Benchmarks of the PostgreSQL store; see BENCHMARKS.md and bench/store.sh.
// Sizes come from the environment (storetest.Env); by default they are
// small, so `go test -bench . -benchtime 1x` stays quick.

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// benchSchema names the schema holding a benchmark database of n
// incidents. With RASD_BENCH_DIR set (bench/store.sh) the import leaves it
// for BenchmarkSearch; otherwise every schema is dropped after use.
func benchSchema(n int) string { return fmt.Sprintf("rasd_bench_%d", n) }

func adminExec(b *testing.B, q string) {
	admin, err := sql.Open("pgx", testURL())
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(q); err != nil {
		b.Fatalf("PostgreSQL at %s: %s: %v", testURL(), q, err)
	}
}

func keep() bool { return os.Getenv("RASD_BENCH_DIR") != "" }

// dbSize is the schema's size on disk: tables, indexes and TOAST.
func dbSize(url, schema string) func() int64 {
	return func() int64 {
		db, err := sql.Open("pgx", url)
		if err != nil {
			return 0
		}
		defer db.Close()
		var n int64
		db.QueryRow(`SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c
			JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = $1 AND c.relkind IN ('r', 'm')`, schema).Scan(&n)
		return n
	}
}

// BenchmarkImport imports RASD_BENCH_N demo incidents (with their victims)
// in batches of RASD_BENCH_BATCH into a fresh schema.
func BenchmarkImport(b *testing.B) {
	env := storetest.Env()
	schema := benchSchema(env.N)
	url := testURL() + "&search_path=" + schema
	storetest.Import(b, env, func(b *testing.B) store.Store {
		adminExec(b, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
		adminExec(b, `CREATE SCHEMA `+schema)
		s, err := Open(context.Background(), url, storetest.AuditKey)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}, func() int64 {
		// ANALYZE as autovacuum would, so a search right after plans well.
		adminExec(b, `ANALYZE `+schema+`.incidents`)
		return dbSize(url, schema)()
	})
	if !keep() {
		adminExec(b, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
	}
}

// BenchmarkSearch searches RASD_BENCH_N incidents: in the schema
// BenchmarkImport left if it has the right number, else in one built here
// first (not timed).
func BenchmarkSearch(b *testing.B) {
	env := storetest.Env()
	s := builtStore(b, env)
	defer s.Close()
	b.ResetTimer()
	storetest.Search(b, s, env.N)
}

// BenchmarkVerify verifies the audit log, history and records of
// RASD_BENCH_N incidents (built as for BenchmarkSearch).
func BenchmarkVerify(b *testing.B) {
	env := storetest.Env()
	s := builtStore(b, env)
	defer s.Close()
	b.ResetTimer()
	storetest.Verify(b, s)
}

// builtStore opens the schema BenchmarkImport left if it has
// RASD_BENCH_N incidents, else one built here first (not timed).
func builtStore(b *testing.B, env storetest.BenchEnv) store.Store {
	ctx := context.Background()
	schema := benchSchema(env.N)
	url := testURL() + "&search_path=" + schema
	adminExec(b, `CREATE SCHEMA IF NOT EXISTS `+schema)
	if !keep() {
		b.Cleanup(func() { adminExec(b, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`) })
	}
	s, err := Open(ctx, url, storetest.AuditKey)
	if err != nil {
		b.Fatal(err)
	}
	var n int
	if err := s.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM incidents`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	if n != env.N {
		s.Close()
		b.Logf("building a database of %d incidents in schema %s", env.N, schema)
		adminExec(b, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
		adminExec(b, `CREATE SCHEMA `+schema)
		if s, err = Open(ctx, url, storetest.AuditKey); err != nil {
			b.Fatal(err)
		}
		g := storetest.NewGen(env.N)
		for batch := g.Batch(env.Batch); len(batch) > 0; batch = g.Batch(env.Batch) {
			if _, err := s.ImportIncidents(ctx, "bench", batch, nil); err != nil {
				b.Fatal(err)
			}
		}
		adminExec(b, `ANALYZE `+schema+`.incidents`)
	}
	return s
}
