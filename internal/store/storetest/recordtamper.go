package storetest

import (
	"context"
	"crypto/sha256"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// recordTamper changes what a record holds behind the store's back, in
// its row or its history, and wants VerifyAudit to name the record.
func recordTamper(change func(t *testing.T, o Opened, id, code string)) func(*testing.T, context.Context, Opened) {
	return func(t *testing.T, ctx context.Context, o Opened) {
		seed(t, ctx, o.Store)
		target := mustCreate(t, ctx, o.Store, Incident())
		target.SummaryEN = "The summary as documented."
		if err := o.Store.UpdateIncident(ctx, "tester", &target); err != nil {
			t.Fatal(err)
		}
		mustCreate(t, ctx, o.Store, Incident())
		if _, err := store.VerifyAudit(ctx, o.Store, AuditKey); err != nil {
			t.Fatalf("before tampering: %v", err)
		}
		change(t, o, target.ID, target.Code)
		_, err := store.VerifyAudit(ctx, o.Store, AuditKey)
		if err == nil {
			t.Fatal("tampering went undetected: VerifyAudit passed")
		}
		if !strings.Contains(err.Error(), target.Code) {
			t.Errorf("the error does not name incident %s: %v", target.Code, err)
		}
	}
}

func sqlExec(t *testing.T, o Opened, q string, args ...any) {
	t.Helper()
	if o.Store.Backend() == "postgres" {
		q = rebindPG(q)
	}
	res, err := o.SQL.Exec(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%s changed %d rows, want 1", q, n)
	}
}

func rebindPG(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// editRow rewrites an incident's summary with SQL.
func editRow(t *testing.T, o Opened, id, _ string) {
	sqlExec(t, o, `UPDATE incidents SET summary_en = ? WHERE id = ?`, "A summary nobody wrote.", id)
}

// editHistory rewrites what the first version of an incident said.
func editHistory(t *testing.T, o Opened, id, _ string) {
	sqlExec(t, o, `UPDATE versions SET snapshot = replace(snapshot, 'Activist shot dead', 'Activist arrested') WHERE kind = 'incident' AND record_id = ? AND version = 1`, id)
}

// anchored is a store that keeps a signed checkpoint in a data directory.
type anchored interface {
	SetAnchor(a *audit.Anchor, onErr func(error))
}

// Anchor gives o's store an anchor in a new directory and returns it;
// a failed advance fails the test.
func Anchor(t *testing.T, o Opened) *audit.Anchor {
	t.Helper()
	seed := sha256.Sum256([]byte("storetest checkpoint key"))
	a, err := audit.NewAnchor(t.TempDir(), seed[:], AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	o.Store.(anchored).SetAnchor(a, func(err error) { t.Errorf("advancing the checkpoint: %v", err) })
	return a
}

// headRow is the audit head as stored, MAC and all.
type headRow struct {
	seq       int64
	hash, mac string
}

func readHead(t *testing.T, o Opened) headRow {
	t.Helper()
	var h headRow
	if err := o.SQL.QueryRow(`SELECT seq, hash, mac FROM audit_head WHERE id = 1`).Scan(&h.seq, &h.hash, &h.mac); err != nil {
		t.Fatal(err)
	}
	return h
}

// rollBack deletes the entries after h and puts h back: the chain and
// its sealed head verify, as they did when h was the head.
func rollBack(t *testing.T, o Opened, h headRow) {
	t.Helper()
	sqlExec(t, o, `UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1`, h.seq, h.hash, h.mac)
	if _, err := o.SQL.Exec(rebindIf(o, `DELETE FROM audit_log WHERE seq > ?`), h.seq); err != nil {
		t.Fatal(err)
	}
}

// testRollback: the newest entries (reads of sealed text, which leave
// nothing else behind) are deleted and the head copied before them put
// back. Only the checkpoint in the data directory tells.
func testRollback(t *testing.T, ctx context.Context, o Opened) {
	a := Anchor(t, o)
	seed(t, ctx, o.Store)
	inc := mustCreate(t, ctx, o.Store, Incident())
	old := readHead(t, o) // as a copy of the database taken then holds it
	for range 3 {
		if err := o.Store.LogRead(ctx, "reader", store.KindIncident, inc.ID, "record"); err != nil {
			t.Fatal(err)
		}
	}
	newer := readHead(t, o)
	if st, err := a.Load(); err != nil || st.Checkpoint.Size != newer.seq {
		t.Fatalf("checkpoint after the writes: %+v, %v; want size %d", st, err, newer.seq)
	}
	rollBack(t, o, old)
	var ce *audit.CheckpointError
	if _, err := store.VerifyAudit(ctx, o.Store, AuditKey); !errors.As(err, &ce) || ce.Size != newer.seq || ce.LogSize != old.seq {
		t.Fatalf("VerifyAudit after the newest entries were deleted: %v, want a checkpoint error", err)
	} else if !strings.Contains(err.Error(), "newest entries were deleted") {
		t.Errorf("the error does not say what happened: %v", err)
	}
	// Nothing is written on top of it.
	another := Incident()
	if err := o.Store.CreateIncident(ctx, "tester", &another); !errors.As(err, &ce) {
		t.Errorf("a write on the rolled-back log: %v, want a checkpoint error", err)
	}
	// The control: without the checkpoint, nothing tells.
	o.Store.(anchored).SetAnchor(nil, nil)
	if _, err := store.VerifyAudit(ctx, o.Store, AuditKey); err != nil {
		t.Errorf("the control failed: without the checkpoint, VerifyAudit = %v", err)
	}
}

func rebindIf(o Opened, q string) string {
	if o.Store.Backend() == "postgres" {
		return rebindPG(q)
	}
	return q
}

// testKeptCheckpoint: a checkpoint published and kept elsewhere still
// verifies after more writes, and fails once the log was rolled back
// past it, even when writes went on since and the log is longer again.
func testKeptCheckpoint(t *testing.T, ctx context.Context, o Opened) {
	a := Anchor(t, o)
	seed(t, ctx, o.Store)
	inc := mustCreate(t, ctx, o.Store, Incident())
	read := func(n int) {
		for range n {
			if err := o.Store.LogRead(ctx, "reader", store.KindIncident, inc.ID, "record"); err != nil {
				t.Fatal(err)
			}
		}
	}
	early := readHead(t, o)
	read(2)
	st, err := a.Load()
	if err != nil {
		t.Fatal(err)
	}
	text, err := audit.OpenNote([]byte(st.Note), a.Key()) // as 'rasd audit verify --checkpoint' reads it
	if err != nil {
		t.Fatal(err)
	}
	kept, err := audit.ParseCheckpoint(text)
	if err != nil || kept.Size != early.seq+2 {
		t.Fatalf("kept checkpoint %+v, %v", kept, err)
	}
	read(3)
	withKept := store.VerifyOptions{Key: AuditKey, Checkpoints: []audit.Checkpoint{kept}}
	if rep, err := o.Store.VerifyLog(ctx, withKept); err != nil || rep.Entries != kept.Size+3 {
		t.Fatalf("VerifyLog with the kept checkpoint after more writes: %+v, %v", rep, err)
	}
	// Rolled back past the checkpoint, then written on by a server
	// without this data directory: the log is longer than the
	// checkpoint again, its chain and head verify.
	o.Store.(anchored).SetAnchor(nil, nil)
	rollBack(t, o, early)
	read(5)
	if _, err := store.VerifyAudit(ctx, o.Store, AuditKey); err != nil {
		t.Fatalf("the control failed: chain and head after the rewrite: %v", err)
	}
	var ce *audit.CheckpointError
	if _, err := o.Store.VerifyLog(ctx, withKept); !errors.As(err, &ce) || ce.Size != kept.Size {
		t.Fatalf("VerifyLog with the kept checkpoint after a rewrite: %v, want a checkpoint error", err)
	} else if !strings.Contains(err.Error(), "history rewritten") {
		t.Errorf("the error does not say what happened: %v", err)
	}
	// The data directory's own checkpoint tells as much.
	o.Store.(anchored).SetAnchor(a, nil)
	if _, err := store.VerifyAudit(ctx, o.Store, AuditKey); !errors.As(err, &ce) {
		t.Errorf("VerifyAudit with the stored checkpoint after a rewrite: %v", err)
	}
}

// testForgedAppend: someone without the key appends an entry of their
// own, chained as the chain wants, and points the head at it with a MAC
// they cannot compute. The next write must not seal it for them.
func testForgedAppend(t *testing.T, ctx context.Context, o Opened) {
	seed(t, ctx, o.Store)
	h := readHead(t, o)
	forged := audit.Next(audit.Head{Seq: h.seq, Hash: h.hash}, audit.Entry{At: time.Now(), Actor: "admin",
		Action: "create", Kind: store.KindIncident, RecordID: "forged", Version: 0})
	sqlExec(t, o, `INSERT INTO audit_log (seq, at, actor, action, kind, record_id, version, digest, prev, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, forged.Seq, forged.At.Format(time.RFC3339Nano), forged.Actor, forged.Action,
		forged.Kind, forged.RecordID, forged.Version, forged.Digest, forged.Prev, forged.Hash)
	sqlExec(t, o, `UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1`, forged.Seq, forged.Hash, strings.Repeat("0", 64))
	inc := Incident()
	if err := o.Store.CreateIncident(ctx, "tester", &inc); err == nil || !strings.Contains(err.Error(), "refusing to write") {
		t.Errorf("a write on a head whose MAC does not verify: %v, want it refused", err)
	}
	var ae *audit.Error
	if _, err := store.VerifyAudit(ctx, o.Store, AuditKey); !errors.As(err, &ae) || ae.Seq != forged.Seq {
		t.Errorf("VerifyAudit after the forged entry: %v", err)
	}
}

// testDigestLikeColumns: an imported record whose original columns are
// named like the history's own digest fields is not taken for a sealed
// or purged one (the check after each test verifies the store).
func testDigestLikeColumns(t *testing.T, ctx context.Context, o Opened) {
	inc := imported("DIGESTS")
	digest := strings.Repeat("ab", 32)
	inc.External.Original = map[string]string{"sealed_sha256": digest, "scrubbed_sha256": digest, "purged": "true"}
	if _, err := o.Store.ImportIncidents(ctx, "importer", []model.Incident{inc}, nil); err != nil {
		t.Fatal(err)
	}
	inc.Fatalities++
	if _, err := o.Store.ImportIncidents(ctx, "importer", []model.Incident{inc}, nil); err != nil {
		t.Fatal(err)
	}
}
