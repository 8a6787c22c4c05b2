// Package teststores opens real stores for the tests of packages above
// the store (the domain services): a new encrypted SQLite file and a new
// schema on the local PostgreSQL server, so that every such test runs on
// both backends. Only tests import it.
package teststores

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// PostgresURL is the test server: RASD_TEST_PG, or the local server every
// development and CI machine of this project runs.
func PostgresURL() string {
	if u := os.Getenv("RASD_TEST_PG"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// Each runs f as a subtest on a new SQLite store and on a new PostgreSQL
// schema, both opened with storetest.AuditKey and closed after.
func Each(t *testing.T, f func(t *testing.T, st store.Store)) {
	t.Run("sqlite", func(t *testing.T) { f(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		st, err := postgres.Open(context.Background(), Schema(t), storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		f(t, st)
	})
}

// SQLite is a new encrypted SQLite store in a temporary directory, with a
// random key and storetest.AuditKey, closed at the test's end.
func SQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName), key, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Bench runs f as a sub-benchmark on a new SQLite store and on a new
// PostgreSQL schema, as Each does for tests; SKIP_PG=1 leaves PostgreSQL out.
func Bench(b *testing.B, f func(b *testing.B, st store.Store)) { bench(b, f) }

// BenchBulk is Bench with the SQLite store opened as `rasd import` opens
// it (sqlite.BulkImports): a benchmark that builds its store with one
// large import then loads it as a file is loaded, indexes built once.
func BenchBulk(b *testing.B, f func(b *testing.B, st store.Store)) { bench(b, f, sqlite.BulkImports()) }

func bench(b *testing.B, f func(b *testing.B, st store.Store), opts ...sqlite.Option) {
	b.Run("sqlite", func(b *testing.B) {
		key := make([]byte, 32)
		rand.Read(key)
		st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "rasd.db"), key, storetest.AuditKey, opts...)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		f(b, st)
	})
	if os.Getenv("SKIP_PG") != "" {
		return
	}
	b.Run("postgres", func(b *testing.B) {
		st, err := postgres.Open(context.Background(), Schema(b), storetest.AuditKey)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		f(b, st)
	})
}

// Schema makes a new, empty schema on the test server (named after
// RASD_BENCH_SCHEMA if set), dropped after the test, and returns the URL
// that uses it.
func Schema(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("pgx", PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	prefix := "rasd_test_"
	if p := os.Getenv("RASD_BENCH_SCHEMA"); p != "" {
		prefix = p + "_" // a benchmark's, named by whoever runs it
	}
	name := prefix + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatalf("PostgreSQL at %s is required (the test command starts it): %v", PostgresURL(), err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", PostgresURL()); err == nil {
			db.Exec(`DROP SCHEMA ` + name + ` CASCADE`)
			db.Close()
		}
	})
	return PostgresURL() + "&search_path=" + name
}

// PostgresWithDB opens a store on a new PostgreSQL schema and a plain
// connection to the same schema, for tests that change rows behind the
// store's back (tampering).
func PostgresWithDB(t *testing.T) (store.Store, *sql.DB) {
	t.Helper()
	url := Schema(t)
	st, err := postgres.Open(context.Background(), url, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return st, db
}
