package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestURL returns the test server's URL: RASD_TEST_PG, or the local server
// every development and CI machine of this project runs.
func testURL() string {
	if u := os.Getenv("RASD_TEST_PG"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// freshSchema gives each test an empty schema of its own and drops it after.
func freshSchema(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("pgx", testURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "rasd_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("PostgreSQL at %s is required (the test command starts it): %v", testURL(), err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", testURL())
		if err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	return testURL() + "&search_path=" + schema
}

func TestContract(t *testing.T) { storetest.Run(t, contractStore) }

// TestContractRecentIndex runs the contract tests that search with every
// search that the newest row cannot fill answered through an index of the
// newest rows (recent.go) over the whole table, made when the store is
// new: whatever the writes of a test (saves, updates, imports, merges,
// purges), its searches find what they must. (Made here, not by Open:
// the suite's tests run at once, and each concurrent build would wait for
// the others' transactions.)
func TestContractRecentIndex(t *testing.T) {
	w, r, a := probeWindow, recentRows, recentAlways
	t.Cleanup(func() { probeWindow, recentRows, recentAlways = w, r, a }) // after the parallel tests
	probeWindow, recentRows, recentAlways = 1, 1<<40, true
	// Only the tests that search: the rest of the contract does not read
	// the recent index, and TestContract runs it already.
	searches := func(name string) bool {
		return strings.HasPrefix(name, "Search") || name == "CreateAndGet" || name == "PersonMerge" ||
			name == "ImportUpsert" || name == "SealPurgesHistory" || name == "ImportChunkedAsOneByOne"
	}
	storetest.RunOnly(t, func(t *testing.T) storetest.Opened {
		o := contractStore(t)
		for _, table := range []string{"incidents", "persons"} {
			if _, err := o.SQL.Exec(`CREATE INDEX ` + recentName(table, 1) + ` ON ` + table + ` USING gin (search) WHERE ` + recentCond(1)); err != nil {
				t.Fatal(err)
			}
			if from := recentIndex(t, o.SQL, table); from != 1 {
				t.Fatalf("the recent index of %s starts at rid %d, want 1", table, from)
			}
		}
		return o
	}, searches)
}

// contractStore opens a store in a fresh schema for the contract suite.
func contractStore(t *testing.T) storetest.Opened {
	url := freshSchema(t)
	s, err := Open(context.Background(), url, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	return storetest.Opened{Store: s, SQL: s.SQL(), SearchDumps: []string{
		`SELECT code, search::text FROM incidents ORDER BY code`,
		`SELECT name_ar, name_latin, search::text FROM persons`,
	}, Reopen: func() (store.Store, error) {
		s, err := Open(context.Background(), url, storetest.AuditKey)
		if err != nil {
			return nil, err
		}
		return s, nil
	}}
}

// TestMigrateVersionsAuditSeq: see the SQLite test of the same name.
func TestMigrateVersionsAuditSeq(t *testing.T) {
	ctx := context.Background()
	url := freshSchema(t)
	s, err := Open(ctx, url, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	n := storetest.MakeLegacy(t, ctx, storetest.Opened{Store: s, SQL: s.SQL()})
	s.Close()
	if s, err = Open(ctx, url, storetest.AuditKey); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckMigrated(t, ctx, storetest.Opened{Store: s, SQL: s.SQL()}, n)
}

// TestConcurrentServersAnchor: servers writing to one database at once,
// two sharing a data directory and one with its own, each keep a
// checkpoint that ends at the log's head and verifies.
func TestConcurrentServersAnchor(t *testing.T) {
	ctx := context.Background()
	url := freshSchema(t)
	shared, own := t.TempDir(), t.TempDir()
	seed := sha256.Sum256([]byte("concurrent servers"))
	var servers []*sqlstore.DB
	for _, dir := range []string{shared, shared, own} {
		s, err := Open(ctx, url, storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		a, err := audit.NewAnchor(dir, seed[:], storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		s.SetAnchor(a, func(err error) { t.Errorf("advance: %v", err) })
		servers = append(servers, s)
	}
	// Meanwhile the shared checkpoint only ever grows.
	stop, watched := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watched)
		var last int64
		for {
			if st, err := servers[0].Anchor().Load(); err == nil {
				if st.Checkpoint.Size < last {
					t.Errorf("the checkpoint moved back from %d to %d entries", last, st.Checkpoint.Size)
				}
				last = st.Checkpoint.Size
			} else if !errors.Is(err, audit.ErrNoCheckpoint) {
				t.Error(err)
			}
			select {
			case <-stop:
				return
			default:
			}
		}
	}()
	var wg sync.WaitGroup
	for _, s := range servers {
		for range 2 {
			wg.Go(func() {
				for range 8 {
					inc := storetest.Incident()
					if err := s.CreateIncident(ctx, "t", &inc); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	close(stop)
	<-watched
	// A server's checkpoint ends where its own last write did: one more
	// write by each directory's server brings it to the head, the others'
	// entries included.
	for i, s := range []*sqlstore.DB{servers[2], servers[0]} {
		inc := storetest.Incident()
		if err := s.CreateIncident(ctx, "t", &inc); err != nil {
			t.Fatal(err)
		}
		head, err := s.AuditHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		st, err := s.Anchor().Load()
		if err != nil {
			t.Fatal(err)
		}
		if st.Checkpoint.Size != head.Seq {
			t.Errorf("directory %d: checkpoint at %d entries, head at %d", i, st.Checkpoint.Size, head.Seq)
		}
	}
	for i, s := range []*sqlstore.DB{servers[0], servers[2]} {
		if _, err := store.VerifyAudit(ctx, s, storetest.AuditKey); err != nil {
			t.Errorf("VerifyAudit through directory %d: %v", i, err)
		}
	}
}
