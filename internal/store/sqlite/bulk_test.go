package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// openWith opens a new store with opts, closed when t ends.
func openWith(t *testing.T, opts ...Option) (s *sqlstore.DB, path string, key []byte) {
	t.Helper()
	path, key = filepath.Join(t.TempDir(), FileName), newKey()
	s, err := Open(context.Background(), path, key, storetest.AuditKey, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path, key
}

// openBulk opens a new store with BulkImports, closed when t ends.
func openBulk(t *testing.T) (*sqlstore.DB, string, []byte) { return openWith(t, BulkImports()) }

// inBothModes runs fn on a store whose imports go through the WAL, and on
// one with BulkImports.
func inBothModes(t *testing.T, fn func(*testing.T, ...Option)) {
	t.Run("wal", func(t *testing.T) { fn(t) })
	t.Run("bulk", func(t *testing.T) { fn(t, BulkImports()) })
}

// TestBulkImport: with BulkImports, a large import on a database nobody
// else has open writes through a rollback journal, not the WAL. The journal
// holds copies of pages from before the import, so it must be encrypted
// like the file. The statements' own journals stay in memory: no temporary
// file is written while the rows are (TestSortSpillEncrypted has those of
// the index builds). Afterwards the database is back in WAL mode.
func TestBulkImport(t *testing.T) {
	ctx := context.Background()
	s, path, _ := openBulk(t)
	// A record from before, which the import changes: the page with its
	// canaries is copied to the journal before it is written.
	canaries := []string{"قمرالزمان الفريدة", "Xylobulkcanary"}
	needles := canaryNeedles(canaries...)
	ext := &model.External{System: "acled", ID: "IRQ-BULK"}
	before := storetest.Incident()
	before.External = ext
	before.SummaryAR, before.NarrativeEN = "تهديد "+canaries[0], "Threat to "+canaries[1]
	if _, err := s.ImportIncidents(ctx, "t", []model.Incident{before}, nil); err != nil {
		t.Fatal(err)
	}

	batch := storetest.NewGen(1200).Batch(1200)
	batch[0].External, batch[0].SummaryEN = ext, "Quarzbulkword"
	for i := range batch { // in whatever temporary files the import writes
		batch[i].NarrativeEN += " " + canaries[1]
	}
	journals := 0 // progress reports that found a journal with a page in it
	// SQLite deletes a temporary file as soon as it opens it, so any would
	// be read through this process's open files.
	tmp, temps := t.TempDir(), 0
	t.Setenv("TMPDIR", tmp)
	t.Setenv("SQLITE_TMPDIR", tmp)
	res, err := s.ImportIncidents(ctx, "t", batch, func(int) {
		fds, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Fatalf("the open files of this process: %v", err)
		}
		for _, fd := range fds {
			if target, _ := os.Readlink("/proc/self/fd/" + fd.Name()); strings.HasPrefix(target, tmp) {
				b, _ := os.ReadFile("/proc/self/fd/" + fd.Name())
				temps++
				if needle := findNeedle(b, needles); needle != nil {
					t.Errorf("during the import: %q in plain bytes of temporary file %s", needle, target)
				}
			}
		}
		// SQLite opens the journal when it first has a page to copy there.
		b, err := os.ReadFile(path + "-journal")
		if err != nil {
			return
		}
		if len(b) >= 2*4096 { // a header and a page
			journals++
		}
		if needle := findNeedle(b, needles); needle != nil {
			t.Errorf("during the import: %q in plain bytes of the journal", needle)
		}
		if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
			t.Errorf("during the import: the WAL holds %d bytes", fi.Size())
		}
	})
	if err != nil || res != (store.ImportResult{Created: 1199, Updated: 1}) {
		t.Fatalf("import = %+v, %v", res, err)
	}
	if journals == 0 || temps != 0 {
		t.Fatalf("seen during the import: %d rollback journals with a page in it, %d temporary files; want journals and no temporary file (the statements' journals in memory, DeferIndexes)", journals, temps)
	}
	checkWAL(t, s.SQL(), path)
	if hits, err := s.SearchIncidents(ctx, "Quarzbulkword", 5); err != nil || len(hits) != 1 {
		t.Errorf("search after the import: %d hits, %v", len(hits), err)
	}
	if _, err := store.VerifyAudit(ctx, s, storetest.AuditKey); err != nil {
		t.Errorf("audit after the import: %v", err)
	}
}

// TestOpenDuringBulkImport: another process opening the database while a
// bulk import runs is told why it cannot, and what to do.
func TestOpenDuringBulkImport(t *testing.T) {
	ctx := context.Background()
	defer func(ms int) { busyTimeoutMS = ms }(busyTimeoutMS)
	busyTimeoutMS = 100
	s, path, key := openBulk(t)
	tried := false
	_, err := s.ImportIncidents(ctx, "t", storetest.NewGen(1200).Batch(1200), func(done int) {
		if tried || done == 1200 {
			return
		}
		tried = true
		other, err := Open(ctx, path, key, storetest.AuditKey)
		if err == nil {
			other.Close()
			t.Fatal("the database opened during a bulk import")
		}
		if !strings.Contains(err.Error(), "is busy") || !strings.Contains(err.Error(), "try again when it ends") {
			t.Errorf("open during a bulk import: %v", err)
		}
	})
	if err != nil || !tried {
		t.Fatalf("import: %v (open tried: %v)", err, tried)
	}
}

// TestBulkImportBesideAnotherConnection: when another connection has the
// file open (a running server), a BulkImports import keeps the WAL, and
// the other connection reads while it runs.
func TestBulkImportBesideAnotherConnection(t *testing.T) {
	ctx := context.Background()
	s, path, key := openBulk(t)
	server, err := Open(ctx, path, key, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	count := func() (n int) {
		if err := server.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM incidents`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	count() // keeps an idle connection in the server's pool

	checked := 0
	_, err = s.ImportIncidents(ctx, "t", storetest.NewGen(1200).Batch(1200), func(done int) {
		if done == 1200 {
			return // after the last record, the commit
		}
		checked++
		if _, err := os.Stat(path + "-journal"); err == nil {
			t.Error("a rollback journal beside another connection")
		}
		if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
			t.Errorf("no WAL during the import: %v", err)
		}
		if n := count(); n != 0 {
			t.Errorf("the server reads %d incidents of an import not yet committed", n)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no progress was reported during the import: nothing was checked")
	}
	if n := count(); n != 1200 {
		t.Errorf("after the import the server reads %d incidents, want 1200", n)
	}
	checkWAL(t, s.SQL(), path)
}

// checkWAL checks that the database at path is in WAL mode, whole, and has
// no rollback journal left.
func checkWAL(t *testing.T, db *sql.DB, path string) {
	t.Helper()
	var mode, check string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check = %q, %v", check, err)
	}
	if _, err := os.Stat(path + "-journal"); err == nil {
		t.Error("a rollback journal is left behind")
	}
}

// TestBulkImportDefersIndexes: a bulk import of at least as many incidents
// as the store holds builds the non-unique indexes of the tables it fills
// again (each gets a new root page), the same as before; a smaller one
// leaves them alone; a failed one leaves the schema exactly as it was.
func TestBulkImportDefersIndexes(t *testing.T) {
	ctx := context.Background()
	s, path, _ := openBulk(t)
	type index struct {
		sql  string
		root int
	}
	schema := func() map[string]index {
		rows, err := s.SQL().QueryContext(ctx, `SELECT name, COALESCE(sql, ''), rootpage FROM sqlite_schema WHERE type = 'index'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[string]index{}
		for rows.Next() {
			var name string
			var ix index
			if err := rows.Scan(&name, &ix.sql, &ix.root); err != nil {
				t.Fatal(err)
			}
			m[name] = ix
		}
		return m
	}
	rebuilt := func(before, after map[string]index) (names []string) {
		if len(before) != len(after) {
			t.Fatalf("%d indexes before, %d after", len(before), len(after))
		}
		for name, b := range before {
			a, ok := after[name]
			if !ok || a.sql != b.sql {
				t.Fatalf("index %s: %+v before, %+v after", name, b, a)
			}
			if a.root != b.root {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		return names
	}
	g := storetest.NewGen(5000)

	before := schema()
	if _, err := s.ImportIncidents(ctx, "t", g.Batch(1200), nil); err != nil {
		t.Fatal(err)
	}
	got := rebuilt(before, schema())
	want := []string{"incident_name_keys_incident", "incident_name_keys_lookup", "incident_victim_names_id", "incidents_created_by", "incidents_date", "incidents_place", "incidents_restricted", "incidents_type_place",
		"incidents_verification", "perpetrators_type", "stat_facts_date", "stat_facts_perpetrator", "stat_facts_place",
		"stat_facts_role", "stat_facts_type_place", "victims_person", "victims_role"}
	if !slices.Equal(got, want) {
		t.Errorf("built again by the first import:\n got %v\nwant %v", got, want)
	}
	checkWAL(t, s.SQL(), path)

	before = schema()
	if _, err := s.ImportIncidents(ctx, "t", g.Batch(1000), nil); err != nil {
		t.Fatal(err)
	}
	if got := rebuilt(before, schema()); len(got) != 0 {
		t.Errorf("an import smaller than the store built %v again", got)
	}

	before = schema()
	bad := g.Batch(2500)
	bad[len(bad)-1].Visibility = "everyone"
	if _, err := s.ImportIncidents(ctx, "t", bad, nil); err == nil {
		t.Fatal("an import with a bad last record succeeded")
	}
	if got := rebuilt(before, schema()); len(got) != 0 {
		t.Errorf("a failed import changed indexes %v", got)
	}
	checkWAL(t, s.SQL(), path)
}

// TestSortSpillEncrypted: a sort larger than SQLite keeps in memory (as
// when a bulk import builds an index of 1,000,000 rows again, with
// temporary storage in files: DeferIndexes) goes to temporary files, which
// the VFS encrypts like the database. A query's sort is complete, its
// files still open, once its first row is read.
func TestSortSpillEncrypted(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("SQLITE_TMPDIR", tmp)
	s, _, _ := openBulk(t)
	conn, err := s.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	canary := "Xylosortcanary"
	needles := canaryNeedles(canary)
	// 40,000 rows of 80 bytes: more than the 1 MB a sort of a 1 MiB cache
	// holds in memory.
	if _, err := conn.ExecContext(ctx, `PRAGMA temp_store=FILE; PRAGMA cache_size=-1024; CREATE TABLE sort_canary (x TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
		INSERT INTO sort_canary SELECT printf('%s %08d %s', ?, (i * 7919) % 40000, hex(randomblob(24))) FROM n`, canary); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.QueryContext(ctx, `SELECT x FROM sort_canary ORDER BY x`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatalf("no row: %v", rows.Err())
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("the open files of this process: %v", err)
	}
	temps := 0
	for _, fd := range fds {
		if target, _ := os.Readlink("/proc/self/fd/" + fd.Name()); strings.HasPrefix(target, tmp) {
			b, _ := os.ReadFile("/proc/self/fd/" + fd.Name())
			if len(b) > 0 {
				temps++
			}
			if needle := findNeedle(b, needles); needle != nil {
				t.Errorf("%q in plain bytes of the sort's temporary file %s", needle, target)
			}
		}
	}
	if temps == 0 {
		t.Fatal("the sort wrote no temporary file: nothing was checked")
	}
}
