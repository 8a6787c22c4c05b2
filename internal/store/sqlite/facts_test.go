package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestStatFactsMigration: the migration that makes stat_facts fills it
// for a database written before it with exactly the rows the store writes
// with each incident (Tx.writeFacts).
func TestStatFactsMigration(t *testing.T) {
	ctx := context.Background()
	s, path, key := importedStore(t, 800)
	var err error
	written := facts(t, s)
	if strings.Count(written, "\n") < 800 {
		t.Fatalf("%d facts for 800 incidents", strings.Count(written, "\n"))
	}
	// The store knows its migrations by name: forgetting these two runs
	// them again, in order, and no other.
	for _, q := range []string{`DROP TABLE stat_facts`,
		`DELETE FROM schema_migrations WHERE name IN ('stat_facts', 'stat_facts_visibility')`} {
		if _, err := s.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if s, err = Open(ctx, path, key, storetest.AuditKey); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if migrated := facts(t, s); migrated != written {
		t.Errorf("the migration's facts differ from the store's:\n%.2000s\nwant:\n%.2000s", migrated, written)
	}
	// The facts carry their incident's visibility (0013), every kind of it.
	var wrong, kinds int
	err = s.SQL().QueryRow(`SELECT (SELECT COUNT(*) FROM stat_facts f JOIN incidents i ON i.rid = f.incident_rid
		WHERE f.visibility <> i.visibility), (SELECT COUNT(DISTINCT visibility) FROM stat_facts)`).Scan(&wrong, &kinds)
	if err != nil || wrong != 0 || kinds != 3 {
		t.Errorf("facts with another visibility than their incident's: %d; kinds of visibility: %d, want 3; %v", wrong, kinds, err)
	}
}

// facts is every row of stat_facts, one line each, in key order.
func facts(t *testing.T, s *sqlstore.DB) string {
	t.Helper()
	return storetest.DumpRows(t, s.SQL(), `SELECT * FROM stat_facts ORDER BY incident_rid, vseq, pseq`)
}

// importedStore is a new encrypted store holding n generated incidents,
// with its path and key so a test can close and reopen it.
func importedStore(t *testing.T, n int) (s *sqlstore.DB, path string, key []byte) {
	t.Helper()
	path, key = filepath.Join(t.TempDir(), FileName), newKey()
	s, err := Open(context.Background(), path, key, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportIncidents(context.Background(), "t", storetest.NewGen(n).Batch(n), nil); err != nil {
		t.Fatal(err)
	}
	return s, path, key
}
