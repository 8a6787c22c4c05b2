package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

func imported(id string) model.Incident {
	inc := Incident()
	inc.External = &model.External{System: "acled", ID: id, Original: map[string]string{"event_id_cnty": id}}
	return inc
}

func testImportUpsert(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	batch := []model.Incident{imported("IRQ1"), imported("IRQ2")}
	var seen []int
	res, err := s.ImportIncidents(ctx, "importer", batch, func(n int) { seen = append(seen, n) })
	if err != nil || res != (store.ImportResult{Created: 2}) {
		t.Fatalf("first import = %+v, %v", res, err)
	}
	if len(seen) == 0 || seen[len(seen)-1] != 2 {
		t.Errorf("progress reported %v, want to end at 2", seen)
	}
	again := []model.Incident{imported("IRQ1"), imported("IRQ2")}
	again[1].Fatalities = 2
	res, err = s.ImportIncidents(ctx, "importer", again, nil)
	if err != nil || res != (store.ImportResult{Updated: 1, Unchanged: 1}) {
		t.Fatalf("re-import = %+v, %v", res, err)
	}
	if n := count(t, o.SQL, "incidents"); n != 2 {
		t.Errorf("re-import duplicated: %d incidents", n)
	}
	if n := count(t, o.SQL, "persons"); n != 4 {
		t.Errorf("re-import duplicated persons: %d, want 4", n)
	}
	got, _ := s.GetIncident(ctx, again[1].ID)
	if got.Fatalities != 2 || got.Version != 2 || got.External.Original["event_id_cnty"] != "IRQ2" {
		t.Errorf("updated incident = fatalities %d version %d external %+v", got.Fatalities, got.Version, got.External)
	}
}

func testImportAllOrNothing(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	mustCreate(t, ctx, s, Incident())
	before := state(t, o)
	batch := []model.Incident{imported("A"), imported("B"), imported("C")}
	batch[2].Visibility = "everyone" // refused by the schema
	if _, err := s.ImportIncidents(ctx, "importer", batch, nil); err == nil {
		t.Fatal("import with a bad record succeeded")
	} else if want := "record 3"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name %q", err, want)
	}
	if after := state(t, o); after != before {
		t.Errorf("failed import changed the store:\nbefore %s\nafter  %s", before, after)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Errorf("audit after a failed import: %v", err)
	}
	// The counters rolled back too: the next incident continues the sequence.
	if inc := mustCreate(t, ctx, s, Incident()); inc.Code != "IQ-2019-0002" {
		t.Errorf("code after a failed import = %s, want IQ-2019-0002", inc.Code)
	}
}

func testAuditVerifies(t *testing.T, ctx context.Context, o Opened) {
	seed(t, ctx, o.Store)
	n, err := store.VerifyAudit(ctx, o.Store, AuditKey)
	if err != nil || n != 10 { // the start of authority MACs, 3 incidents + 6 persons
		t.Fatalf("VerifyAudit = %d, %v; want 10 entries", n, err)
	}
	if _, err := store.VerifyAudit(ctx, o.Store, []byte("another key, which cannot seal..")); err == nil {
		t.Error("the head verified under a wrong key")
	}
}

func seed(t *testing.T, ctx context.Context, s store.Store) {
	for range 3 {
		mustCreate(t, ctx, s, Incident())
	}
}

type tamperFn func(t *testing.T, db *sql.DB) (wantSeq int64)

func tamper(fn tamperFn) func(*testing.T, context.Context, Opened) {
	return func(t *testing.T, ctx context.Context, o Opened) {
		seed(t, ctx, o.Store)
		want := fn(t, o.SQL)
		_, err := store.VerifyAudit(ctx, o.Store, AuditKey)
		var ae *audit.Error
		if !errors.As(err, &ae) {
			t.Fatalf("tampering went undetected: err = %v", err)
		}
		if ae.Seq != want {
			t.Errorf("first bad entry reported as %d, want %d (%v)", ae.Seq, want, err)
		}
	}
}

func exec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func editEntry(t *testing.T, db *sql.DB) int64 {
	exec(t, db, `UPDATE audit_log SET actor = 'someone else' WHERE seq = 4`)
	return 4
}

func deleteEntry(t *testing.T, db *sql.DB) int64 {
	exec(t, db, `DELETE FROM audit_log WHERE seq = 5`)
	return 5
}

func reorderEntries(t *testing.T, db *sql.DB) int64 {
	exec(t, db, `UPDATE audit_log SET seq = -1 WHERE seq = 6`)
	exec(t, db, `UPDATE audit_log SET seq = 6 WHERE seq = 7`)
	exec(t, db, `UPDATE audit_log SET seq = 7 WHERE seq = -1`)
	return 6
}

func truncateLog(t *testing.T, db *sql.DB) int64 {
	exec(t, db, `DELETE FROM audit_log WHERE seq > 7`)
	return 8
}

// rewriteAndRechain edits an entry and recomputes every hash after it, as
// someone with the database but not the key would: the sealed head catches it.
func rewriteAndRechain(t *testing.T, db *sql.DB) int64 {
	rows, err := db.Query(`SELECT seq, at, actor, action, kind, record_id, version, digest FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var es []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var at string
		rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Kind, &e.RecordID, &e.Version, &e.Digest)
		es = append(es, e)
		es[len(es)-1].At, _ = time.Parse(time.RFC3339Nano, at)
	}
	rows.Close()
	prev := ""
	for i := range es {
		if es[i].Seq == 2 {
			es[i].Actor = "forger"
		}
		es[i].Prev = prev
		es[i].Hash = audit.Hash(es[i])
		prev = es[i].Hash
		exec(t, db, fmt.Sprintf(`UPDATE audit_log SET actor = '%s', prev = '%s', hash = '%s' WHERE seq = %d`, es[i].Actor, es[i].Prev, es[i].Hash, es[i].Seq))
	}
	exec(t, db, fmt.Sprintf(`UPDATE audit_head SET hash = '%s'`, prev))
	return int64(len(es))
}

func count(t *testing.T, db *sql.DB, table string) int {
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// state summarises every table, to show a failed write changed nothing.
func state(t *testing.T, o Opened) string {
	out := ""
	for _, tb := range []string{"incidents", "persons", "victims", "perpetrators", "versions", "audit_log", "code_counters",
		"sources", "information"} {
		out += fmt.Sprintf("%s=%d ", tb, count(t, o.SQL, tb))
	}
	var seq int64
	var hash string
	o.SQL.QueryRow(`SELECT seq, hash FROM audit_head`).Scan(&seq, &hash)
	return out + fmt.Sprintf("head=%d:%s", seq, hash)
}
