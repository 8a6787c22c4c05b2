package sqlite

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestLargeImport covers what only large imports do: the tuned connection
// (BeginImport, from 1,000 records) and search texts written at commit.
// It must stay all-or-nothing and keep the audit chain whole, through the
// WAL and, with BulkImports, through a rollback journal.
func TestLargeImport(t *testing.T) { inBothModes(t, testLargeImport) }

func testLargeImport(t *testing.T, opts ...Option) {
	ctx := context.Background()
	s, path, _ := openWith(t, opts...)
	count := func(table string) int {
		var n int
		if err := s.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	g := storetest.NewGen(2400)
	batch := g.Batch(1200)
	res, err := s.ImportIncidents(ctx, "t", batch, nil)
	if err != nil || res.Created != 1200 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	persons, entries := count("persons"), count("audit_log")
	if hits, err := s.SearchIncidents(ctx, "Zumurrud", 50); err != nil || len(hits) == 0 {
		t.Fatalf("search after a large import: %d hits, %v", len(hits), err)
	}
	// Every record is committed to by the import's one entry or, with
	// sealed text, has a version and an entry of its own (docs/audit.md,
	// "Imports"); the chain verifies whole.
	if c, v := count("import_records"), count("versions"); c == 0 || c+v != 1200+persons {
		t.Errorf("%d records committed to by the import and %d with a version; want %d in all", c, v, 1200+persons)
	}
	if n, err := store.VerifyAudit(ctx, s, storetest.AuditKey); err != nil || n != int64(entries) {
		t.Fatalf("VerifyAudit = %d, %v; want %d entries", n, err, entries)
	}

	// A bad last record: nothing of the batch stays, search texts included.
	bad := g.Batch(1200)
	bad[0].SummaryEN = "Xylobenchword first of a failed import"
	bad[len(bad)-1].Visibility = "everyone"
	// Two idle connections in the pool, as after reads at the same time:
	// with BulkImports, the import closes them to have the file to itself.
	rs, err := s.SQL().QueryContext(ctx, `SELECT rid FROM incidents`)
	if err != nil {
		t.Fatal(err)
	}
	count("persons") // on a second connection, while rs holds the first
	rs.Close()
	journal := map[bool]int{} // progress reports that found a rollback journal, or not
	if _, err := s.ImportIncidents(ctx, "t", bad, func(int) {
		_, err := os.Stat(path + "-journal")
		journal[err == nil]++
	}); err == nil || !strings.Contains(err.Error(), "record 1200") {
		t.Fatalf("import with a bad record 1200: err = %v", err)
	}
	if bulk := len(opts) > 0; journal[!bulk] > 0 || journal[bulk] == 0 {
		t.Errorf("progress reports that found a rollback journal: %d, that did not: %d; want all to %s",
			journal[true], journal[false], map[bool]string{true: "find one", false: "find none"}[bulk])
	}
	if count("incidents") != 1200 || count("persons") != persons || count("audit_log") != entries {
		t.Fatal("a failed import changed the store")
	}
	if hits, _ := s.SearchIncidents(ctx, "Xylobenchword", 5); len(hits) != 0 {
		t.Fatalf("a failed import left %d search hits", len(hits))
	}
	if _, err := store.VerifyAudit(ctx, s, storetest.AuditKey); err != nil {
		t.Fatalf("audit after a failed import: %v", err)
	}
	checkWAL(t, s.SQL(), path)
}

// TestImportTwiceInOneBatch writes a record's search text twice in one
// transaction: created, then updated by the same import. Only the second
// text may be found.
func TestImportTwiceInOneBatch(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openWith(t)
	a, b := storetest.Incident(), storetest.Incident()
	a.External = &model.External{System: "acled", ID: "IRQ9"}
	b.External = &model.External{System: "acled", ID: "IRQ9"}
	a.SummaryEN, b.SummaryEN = "Quarzfirstword", "Quarzsecondword"
	res, err := s.ImportIncidents(ctx, "t", []model.Incident{a, b}, nil)
	if err != nil || res != (store.ImportResult{Created: 1, Updated: 1}) {
		t.Fatalf("import = %+v, %v", res, err)
	}
	if hits, _ := s.SearchIncidents(ctx, "Quarzfirstword", 5); len(hits) != 0 {
		t.Errorf("the replaced text is still found")
	}
	if hits, _ := s.SearchIncidents(ctx, "Quarzsecondword", 5); len(hits) != 1 {
		t.Errorf("the final text: %d hits, want 1", len(hits))
	}
	// And updated again in a later transaction: the old text goes.
	c := storetest.Incident()
	c.External = &model.External{System: "acled", ID: "IRQ9"}
	c.SummaryEN = "Quarzthirdword"
	if _, err := s.ImportIncidents(ctx, "t", []model.Incident{c}, nil); err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string]int{"Quarzsecondword": 0, "Quarzthirdword": 1} {
		if hits, _ := s.SearchIncidents(ctx, word, 5); len(hits) != want {
			t.Errorf("%s: %d hits, want %d", word, len(hits), want)
		}
	}
}

// TestImportPanicReleasesConnection: a panic inside a large import (the
// driver panics when SQLite runs out of memory) must reach the caller and
// leave the store usable; it once left the tuned connection waiting
// forever for its own open transaction.
func TestImportPanicReleasesConnection(t *testing.T) { inBothModes(t, testImportPanic) }

func testImportPanic(t *testing.T, opts ...Option) {
	ctx := context.Background()
	s, path, _ := openWith(t, opts...)
	batch := storetest.NewGen(1000).Batch(1000)
	last := &batch[len(batch)-1]
	last.Visibility = model.VisibilityRestricted
	last.SealedText.Seal = func(string, *model.Sealed) (*model.Sealed, error) { panic("out of memory (simulated)") }
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		s.ImportIncidents(ctx, "t", batch, nil)
	}()
	select {
	case p := <-done:
		if p == nil {
			t.Fatal("the import did not panic")
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the import hung after a panic")
	}
	var n int
	if err := s.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM incidents`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("after the panic: %d incidents, %v; want 0", n, err)
	}
	if res, err := s.ImportIncidents(ctx, "t", storetest.NewGen(3).Batch(3), nil); err != nil || res.Created != 3 {
		t.Fatalf("import after the panic = %+v, %v", res, err)
	}
	checkWAL(t, s.SQL(), path)
}

// TestFTSStatements: a batch of search texts larger than one statement
// takes (ftsRows) goes into FTS5 in several, every text once.
func TestFTSStatements(t *testing.T) {
	defer func(n int) { ftsRows = n }(ftsRows)
	ftsRows = 3
	ctx := context.Background()
	s, _, _ := openWith(t)
	batch := storetest.NewGen(20).Batch(20)
	for i := range batch {
		batch[i].SummaryEN = fmt.Sprintf("ftsword%dx", i)
	}
	if res, err := s.ImportIncidents(ctx, "t", batch, nil); err != nil || res.Created != 20 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	var n int
	if err := s.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM incident_fts`).Scan(&n); err != nil || n != 20 {
		t.Errorf("rows in incident_fts: %d, %v; want 20", n, err)
	}
	for i := range batch {
		if hits, err := s.SearchIncidents(ctx, fmt.Sprintf("ftsword%dx", i), 5); err != nil || len(hits) != 1 || hits[0].Code != batch[i].Code {
			t.Errorf("ftsword%dx: %v, %v; want %s alone", i, hits, err, batch[i].Code)
		}
	}
}
