package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
)

// rechain lets edit change the audit entries, then writes every entry
// again with its link and hash recomputed, and seals the head, as
// whoever holds the audit key would: what an older rasd wrote, which a
// test cannot make the current one write.
func rechain(t *testing.T, o Opened, edit func(e *audit.Entry)) {
	t.Helper()
	rows, err := o.SQL.Query(`SELECT ` + `seq, at, actor, action, kind, record_id, version, digest, prev, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var es []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Kind, &e.RecordID, &e.Version, &e.Digest, &e.Prev, &e.Hash); err != nil {
			t.Fatal(err)
		}
		if e.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			t.Fatal(err)
		}
		es = append(es, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(es) == 0 {
		t.Fatal("rechain: the audit log is empty")
	}
	prev := ""
	for i := range es {
		e := &es[i]
		edit(e)
		e.Prev = prev
		e.Hash = audit.Hash(*e)
		prev = e.Hash
		sqlExec(t, o, `UPDATE audit_log SET digest = ?, prev = ?, hash = ? WHERE seq = ?`, e.Digest, e.Prev, e.Hash, e.Seq)
	}
	h := audit.Seal(AuditKey, es[len(es)-1])
	sqlExec(t, o, `UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1`, h.Seq, h.Hash, h.MAC)
}

// KeepAsWritten makes version of kind/id hold snapshot as if rasd had
// written it so: the version, and the digest of the audit entry that
// recorded it, the chain after it rewritten and the head sealed with
// AuditKey. Tests use it to build a record as an older release kept it
// (evidence before its hash was keyed), which 'rasd audit verify' must
// accept.
func KeepAsWritten(t *testing.T, o Opened, kind, id string, version int, snapshot string) {
	t.Helper()
	sqlExec(t, o, `UPDATE versions SET snapshot = ? WHERE kind = ? AND record_id = ? AND version = ?`, snapshot, kind, id, version)
	sum := sha256.Sum256([]byte(snapshot))
	found := false
	rechain(t, o, func(e *audit.Entry) {
		if e.Kind == kind && e.RecordID == id && e.Version == version {
			e.Digest, found = hex.EncodeToString(sum[:]), true
		}
	})
	if !found {
		t.Fatalf("no audit entry recorded %s %s version %d", kind, id, version)
	}
}
