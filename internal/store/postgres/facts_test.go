package postgres

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestStatFactsVisibilityMigration: a database made before the facts
// carried their incident's visibility (migration 0013) gets it for every
// fact, and the indexes that read it.
func TestStatFactsVisibilityMigration(t *testing.T) {
	ctx := context.Background()
	url := freshSchema(t)
	s, err := Open(ctx, url, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportIncidents(ctx, "t", storetest.NewGen(400).Batch(400), nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`ALTER TABLE stat_facts DROP COLUMN visibility`, `DROP INDEX incidents_restricted`,
		`DELETE FROM schema_migrations WHERE name = 'stat_facts_visibility'`} {
		if _, err := s.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if s, err = Open(ctx, url, storetest.AuditKey); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var facts, wrong, kinds int
	err = s.SQL().QueryRow(`SELECT (SELECT COUNT(*) FROM stat_facts), (SELECT COUNT(*) FROM stat_facts f JOIN incidents i ON i.rid = f.incident_rid
		WHERE f.visibility <> i.visibility), (SELECT COUNT(DISTINCT visibility) FROM stat_facts)`).Scan(&facts, &wrong, &kinds)
	if err != nil || facts < 400 || wrong != 0 || kinds != 3 {
		t.Errorf("after the migration: %d facts, %d with another visibility than their incident's, %d kinds (want 3); %v",
			facts, wrong, kinds, err)
	}
	if n, err := visibilityIndexes(ctx, s.SQL()); err != nil || n != 6 {
		t.Errorf("after the migration: %d indexes reading the visibility (want 6), %v", n, err)
	}
}

// visibilityIndexes counts the indexes of the current schema that read
// the facts' visibility, and incidents_restricted. It reads the catalogue
// tables only: pg_indexes deparses every index its name filter lets
// through, in any schema, before it filters on the schema, and deparsing
// opens the index's table.
func visibilityIndexes(ctx context.Context, db *sql.DB) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_class i JOIN pg_namespace ns ON ns.oid = i.relnamespace
		WHERE ns.nspname = current_schema() AND i.relkind = 'i' AND (i.relname = 'incidents_restricted' OR i.relname LIKE 'stat_facts_%'
		AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.oid AND a.attname = 'visibility'))`).Scan(&n)
	return n, err
}

// TestVisibilityIndexesWhileAnotherSchemaIsDropped: the count above reads
// only its own schema's catalogue. The test command runs packages at once,
// each test dropping its schema when it ends: a schema dropped while the
// count runs must not fail it (deparsing another schema's index opens its
// table, which the drop then removes: "could not open relation with OID").
func TestVisibilityIndexesWhileAnotherSchemaIsDropped(t *testing.T) {
	ctx := context.Background()
	mine, other := freshSchema(t), freshSchema(t)
	for _, url := range []string{mine, other} {
		s, err := Open(ctx, url, storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		if url == other {
			s.Close()
			continue
		}
		defer s.Close()
	}
	admin, err := sql.Open("pgx", testURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	drop, err := admin.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer drop.Rollback()
	if _, err := drop.Exec(`DROP SCHEMA ` + other[strings.LastIndex(other, "=")+1:] + ` CASCADE`); err != nil {
		t.Fatal(err)
	}
	// The count on a connection of its own, whose backend can be watched.
	db, err := sql.Open("pgx", mine)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var pid int
	if err := db.QueryRow(`SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := visibilityIndexes(ctx, db)
		done <- result{n, err}
	}()
	// Until the count ends, or waits for the drop's locks: then the drop
	// commits under it.
	r, ok := result{}, false
	for deadline := time.Now().Add(30 * time.Second); !ok; {
		select {
		case r = <-done:
			ok = true
			continue
		default:
		}
		var wait sql.NullString
		if err := admin.QueryRow(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, pid).Scan(&wait); err != nil {
			t.Fatal(err)
		}
		if wait.String == "Lock" {
			if err := drop.Commit(); err != nil {
				t.Fatal(err)
			}
			r, ok = <-done, true
			continue
		}
		if time.Now().After(deadline) {
			t.Fatal("the count neither ended nor waited for a lock")
		}
		time.Sleep(time.Millisecond) // polling the other backend's state
	}
	if r.err != nil || r.n != 6 {
		t.Errorf("the count while another schema was dropped: %d (want 6), %v", r.n, r.err)
	}
}
