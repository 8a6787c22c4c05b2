package postgres

// Benchmarks of the PostgreSQL store; see BENCHMARKS.md and bench/store.sh.
// Sizes come from the environment (storetest.Env); by default they are
// small, so `go test -bench . -benchtime 1x` stays quick.

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// benchSchema names the schema holding a benchmark database of n
// incidents. With RASD_BENCH_DIR set (bench/store.sh) the import leaves it
// for BenchmarkSearch; otherwise every schema is dropped after use.
// RASD_BENCH_SCHEMA, if set, replaces the prefix "rasd_bench", so that
// people sharing one server do not drop each other's schemas.
func benchSchema(n int) string {
	prefix := "rasd_bench"
	if p := os.Getenv("RASD_BENCH_SCHEMA"); p != "" {
		prefix = p
	}
	return fmt.Sprintf("%s_%d", prefix, n)
}

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

// serverCPU limits db to one connection and returns the CPU time its
// server process has used (read from /proc: the server runs on this
// machine in the benchmarks), or nil if it cannot be read.
func serverCPU(b *testing.B, db *sql.DB) func() time.Duration {
	db.SetMaxOpenConns(1)
	var pid int
	if err := db.QueryRow(`SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		b.Fatal(err)
	}
	read := func() time.Duration {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return 0
		}
		// Fields 14 and 15, after the command in parentheses: user and
		// system time in clock ticks (100 a second on Linux).
		f := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
		if len(f) < 13 {
			return 0
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		return time.Duration(u+s) * 10 * time.Millisecond
	}
	if read() == 0 {
		return nil
	}
	return read
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
	storetest.Search(b, s, env.N, serverCPU(b, s.(*sqlstore.DB).SQL()))
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
