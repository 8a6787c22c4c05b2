package sqlite

// Benchmarks of the embedded store; see BENCHMARKS.md and bench/store.sh.
// Sizes come from the environment (storetest.Env): by default they are
// small, so `go test -bench . -benchtime 1x` stays quick.
//
//	RASD_BENCH_N=1000000 go test ./internal/store/sqlite -run '^$' -bench Import -benchtime 1x -timeout 0

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/driver"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// benchKey encrypts the benchmark databases, so a database kept in
// RASD_BENCH_DIR by one run can be searched by the next. Not a secret.
var benchKey = func() []byte { k := sha256.Sum256([]byte("rasd benchmark key: not a secret")); return k[:] }()

// openPlain opens the full rasd schema in a plain, unencrypted SQLite file,
// through the same driver and settings as Open but without the adiantum
// VFS. For benchmarks only: it measures what the encryption costs.
func openPlain(ctx context.Context, path string, auditKey []byte, opts ...Option) (*sqlstore.DB, error) {
	return open(ctx, path, "", "", auditKey, opts...)
}

// benchPath returns a fresh database path: in RASD_BENCH_DIR if set (and
// left there), else in a temporary directory.
func benchPath(b *testing.B, env storetest.BenchEnv, name string) string {
	dir := env.Dir
	if dir == "" {
		dir = b.TempDir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, name)
	removeDB(path)
	return path
}

func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

func fileSize(path string) func() int64 {
	return func() int64 {
		var n int64
		for _, suffix := range []string{"", "-wal"} {
			if fi, err := os.Stat(path + suffix); err == nil {
				n += fi.Size()
			}
		}
		return n
	}
}

// BenchmarkImport imports RASD_BENCH_N demo incidents (with their victims)
// in batches of RASD_BENCH_BATCH: into the encrypted store as `rasd import`
// does (BulkImports: a rollback journal), the same through the WAL (as a
// server's import), into the same schema unencrypted, and into a bare table
// of the incidents' columns (no index, no full-text search, no victims,
// history or audit; a rollback journal), plain and encrypted. The ratios
// show what encryption and what the schema cost.
func BenchmarkImport(b *testing.B) {
	env := storetest.Env()
	ctx := context.Background()
	b.Run("encrypted", func(b *testing.B) {
		var path string
		storetest.Import(b, env, func(b *testing.B) store.Store {
			path = benchPath(b, env, fmt.Sprintf("rasd-%d.db", env.N)) // kept for BenchmarkSearch
			s, err := Open(ctx, path, benchKey, storetest.AuditKey, BulkImports())
			if err != nil {
				b.Fatal(err)
			}
			return s
		}, func() int64 { return fileSize(path)() })
	})
	b.Run("encrypted-wal", func(b *testing.B) {
		var path string
		storetest.Import(b, env, func(b *testing.B) store.Store {
			path = benchPath(b, env, fmt.Sprintf("wal-%d.db", env.N))
			s, err := Open(ctx, path, benchKey, storetest.AuditKey)
			if err != nil {
				b.Fatal(err)
			}
			return s
		}, func() int64 { n := fileSize(path)(); removeDB(path); return n })
	})
	b.Run("plain-schema", func(b *testing.B) {
		var path string
		storetest.Import(b, env, func(b *testing.B) store.Store {
			path = benchPath(b, env, fmt.Sprintf("plain-%d.db", env.N))
			s, err := openPlain(ctx, path, storetest.AuditKey, BulkImports())
			if err != nil {
				b.Fatal(err)
			}
			return s
		}, func() int64 { n := fileSize(path)(); removeDB(path); return n })
	})
	for _, encrypted := range []bool{false, true} {
		name := "bare-table"
		if encrypted {
			name += "-encrypted"
		}
		b.Run(name, func(b *testing.B) {
			var path string
			storetest.Import(b, env, func(b *testing.B) store.Store {
				path = benchPath(b, env, fmt.Sprintf("%s-%d.db", name, env.N))
				return openBare(b, path, encrypted)
			}, func() int64 { n := fileSize(path)(); removeDB(path); return n })
		})
	}
}

// bareStore is a store.Store only in what the import benchmark calls:
// ImportIncidents writes each incident as one row of one table, with a
// prepared INSERT in one transaction per call, through database/sql.
type bareStore struct {
	store.Store // nil: any other method panics
	db          *sql.DB
	n           int
}

const bareCols = `id, code, type, date_start, date_end, date_precision, date_estimated,
	country, admin1, district, locality, lat, lon, geo_precision, fatalities,
	summary_en, summary_ar, narrative_en, narrative_ar, verification, motive_link,
	visibility, consent, tags, merged_into, ext_system, ext_id, ext_original,
	version, created_at, updated_at, created_by, updated_by`

func openBare(b *testing.B, path string, encrypted bool) *bareStore {
	uri := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_txlock=immediate"
	if encrypted {
		uri += "&vfs=adiantum"
	}
	db, err := driver.Open(uri, func(c *sqlite3.Conn) error {
		if encrypted {
			if err := c.Exec(`PRAGMA hexkey='` + hex.EncodeToString(benchKey) + `'`); err != nil {
				return err
			}
		}
		// As a bulk import writes (bulk.go).
		return c.Exec(`PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;`)
	})
	if err != nil {
		b.Fatal(err)
	}
	_, err = db.Exec(`CREATE TABLE incidents (rid INTEGER PRIMARY KEY, id TEXT, code TEXT, type TEXT,
		date_start TEXT, date_end TEXT, date_precision TEXT, date_estimated BOOLEAN, country TEXT, admin1 TEXT,
		district TEXT, locality TEXT, lat REAL, lon REAL, geo_precision TEXT, fatalities INTEGER,
		summary_en TEXT, summary_ar TEXT, narrative_en TEXT, narrative_ar TEXT, verification TEXT,
		motive_link TEXT, visibility TEXT, consent BOOLEAN, tags TEXT, merged_into TEXT, ext_system TEXT,
		ext_id TEXT, ext_original TEXT, version INTEGER, created_at TIMESTAMP, updated_at TIMESTAMP,
		created_by TEXT, updated_by TEXT)`)
	if err != nil {
		b.Fatal(err)
	}
	return &bareStore{db: db}
}

func (s *bareStore) Close() error { return s.db.Close() }

func (s *bareStore) ImportIncidents(ctx context.Context, actor string, incs []model.Incident, _ func(int)) (store.ImportResult, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return store.ImportResult{}, err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO incidents (`+bareCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
		?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return store.ImportResult{}, err
	}
	defer st.Close()
	now := time.Now().UTC().Truncate(time.Microsecond)
	for i := range incs {
		inc := &incs[i]
		s.n++
		inc.ID, inc.Code = uuid.Must(uuid.NewV7()).String(), fmt.Sprintf("IQ-%s-%04d", inc.Date.Start[:4], s.n)
		tags, _ := json.Marshal(inc.Tags)
		orig, _ := json.Marshal(inc.External.Original)
		var lat, lon sql.NullFloat64
		if inc.Place.Lat != nil {
			lat, lon = sql.NullFloat64{Float64: *inc.Place.Lat, Valid: true}, sql.NullFloat64{Float64: *inc.Place.Lon, Valid: true}
		}
		end := inc.Date.End
		if end == "" {
			end = inc.Date.Start
		}
		_, err := st.ExecContext(ctx, inc.ID, inc.Code, inc.Type, inc.Date.Start, end, inc.Date.Precision, inc.Date.Estimated,
			inc.Place.Country, inc.Place.Admin1, inc.Place.District, inc.Place.Locality, lat, lon, inc.Place.GeoPrecision,
			inc.Fatalities, inc.SummaryEN, inc.SummaryAR, inc.NarrativeEN, inc.NarrativeAR, inc.Verification, inc.MotiveLink,
			inc.Visibility, inc.Consent, string(tags), inc.MergedInto, inc.External.System, inc.External.ID, string(orig),
			1, now, now, actor, actor)
		if err != nil {
			return store.ImportResult{}, err
		}
	}
	return store.ImportResult{Created: len(incs)}, tx.Commit()
}

// BenchmarkSearch searches RASD_BENCH_N incidents in the encrypted store:
// the database BenchmarkImport/encrypted left in RASD_BENCH_DIR if there is
// one of the right size, else one built here first (not timed).
//
//	RASD_BENCH_N=1000000 RASD_BENCH_DIR=/var/tmp/rasd-bench go test ./internal/store/sqlite -run '^$' -bench Search -benchtime 500x -timeout 0
func BenchmarkSearch(b *testing.B) {
	env := storetest.Env()
	s := builtStore(b, env)
	defer s.Close()
	b.ResetTimer()
	storetest.Search(b, s, env.N, nil)
}

// BenchmarkVerify verifies the audit log, history and records of
// RASD_BENCH_N incidents (built as for BenchmarkSearch).
//
//	RASD_BENCH_N=1000000 RASD_BENCH_DIR=/var/tmp/rasd-bench go test ./internal/store/sqlite -run '^$' -bench Verify -benchtime 1x -timeout 0
func BenchmarkVerify(b *testing.B) {
	env := storetest.Env()
	s := builtStore(b, env)
	defer s.Close()
	b.ResetTimer()
	storetest.Verify(b, s)
}

// builtStore opens the encrypted database of RASD_BENCH_N incidents kept
// in RASD_BENCH_DIR, building it first (not timed) if it has another size.
func builtStore(b *testing.B, env storetest.BenchEnv) *sqlstore.DB {
	ctx := context.Background()
	dir := env.Dir
	if dir == "" {
		dir = b.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("rasd-%d.db", env.N))
	s, err := Open(ctx, path, benchKey, storetest.AuditKey)
	if err != nil {
		b.Fatal(err)
	}
	var n int
	if err := s.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM incidents`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	if n != env.N {
		s.Close()
		removeDB(path)
		b.Logf("building a database of %d incidents in %s", env.N, path)
		if s, err = Open(ctx, path, benchKey, storetest.AuditKey); err != nil {
			b.Fatal(err)
		}
		g := storetest.NewGen(env.N)
		for batch := g.Batch(env.Batch); len(batch) > 0; batch = g.Batch(env.Batch) {
			if _, err := s.ImportIncidents(ctx, "bench", batch, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	return s
}
