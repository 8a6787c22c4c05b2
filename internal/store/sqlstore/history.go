package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/store"
)

// record is what every versioned write needs to know.
type record struct {
	kind, id, actor, action string
	version                 int
	snapshot, previous      []byte             // previous is nil for a new record
	sum                     *[sha256.Size]byte // the snapshot's SHA-256, if made already
	at                      time.Time
	// sealing: this write seals text kept in the clear until now, so its
	// changes name the sealed fields without their former values.
	sealing bool
}

// digest is the SHA-256 of r's snapshot.
func (r record) digest() [sha256.Size]byte {
	if r.sum != nil {
		return *r.sum
	}
	return sha256.Sum256(r.snapshot)
}

// keep stores a version of a record and appends its audit entry.
func (t *Tx) keep(ctx context.Context, r record) error {
	if done, err := t.commitCreation(ctx, r); done || err != nil {
		return err
	}
	changes := []byte("[]")
	if r.previous != nil {
		cs := diff(r.previous, r.snapshot)
		if r.sealing {
			t.dropWords(scrubChanges(sealedPaths[r.kind], cs))
		}
		c, err := json.Marshal(cs)
		if err != nil {
			return fmt.Errorf("history changes of %s %s: %w", r.kind, r.id, err)
		}
		changes = c
	}
	sum := r.digest()
	err := t.appendAudit(ctx, audit.Entry{At: r.at, Actor: r.actor, Action: r.action, Kind: r.kind,
		RecordID: r.id, Version: r.version, Digest: hex.EncodeToString(sum[:])})
	if err != nil {
		return err
	}
	// The version names its entry, for 'rasd audit verify' (verify.go).
	return t.appendRow(ctx, versionsTable,
		r.kind, r.id, r.version, r.at, r.actor, r.action, string(changes), string(r.snapshot), t.last.Seq)
}

// diff lists the fields that differ between two JSON objects, descending
// one level into nested objects (date.start, place.admin1) so a history
// line says what changed rather than "place".
func diff(oldJSON, newJSON []byte) []store.Change {
	var o, n map[string]any
	json.Unmarshal(oldJSON, &o)
	json.Unmarshal(newJSON, &n)
	var out []store.Change
	walk(o, n, "", &out)
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func walk(o, n map[string]any, prefix string, out *[]store.Change) {
	seen := map[string]bool{}
	for k, ov := range o {
		seen[k] = true
		nv := n[k]
		om, ok1 := ov.(map[string]any)
		nm, ok2 := nv.(map[string]any)
		if ok1 && ok2 && prefix == "" {
			walk(om, nm, k+".", out)
			continue
		}
		if !reflect.DeepEqual(ov, nv) {
			*out = append(*out, store.Change{Field: prefix + k, Old: ov, New: nv})
		}
	}
	for k, nv := range n {
		if !seen[k] {
			*out = append(*out, store.Change{Field: prefix + k, New: nv})
		}
	}
}

// History lists a record's versions, oldest first.
func (s *DB) History(ctx context.Context, kind, id string) ([]store.Version, error) {
	rows, err := s.db.QueryContext(ctx, s.d.Rebind(`SELECT version, at, actor, action, changes, snapshot FROM versions WHERE kind = ? AND record_id = ? ORDER BY version`), kind, id)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	var out []store.Version
	for rows.Next() {
		v := store.Version{Kind: kind, RecordID: id}
		var changes, snap string
		if err := rows.Scan(&v.Version, &v.At, &v.Actor, &v.Action, &changes, &snap); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		if err := json.Unmarshal([]byte(changes), &v.Changes); err != nil {
			return nil, err
		}
		v.Snapshot = []byte(snap)
		// Inside a JSON string a quote is escaped: only the key matches.
		v.Purged = strings.Contains(snap, `"`+scrubbedKey+`":"`)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil || len(out) > 0 {
		return out, err
	}
	// A record an import created and nobody changed is its version 1.
	first, err := s.firstImported(ctx, kind, id)
	if first == nil || err != nil {
		return nil, err
	}
	return []store.Version{*first}, nil
}

// AuditEntries streams the audit log by sequence number. A reordering
// (sequence numbers swapped) then shows as broken previous-hash links.
func (s *DB) AuditEntries(ctx context.Context, fn func(audit.Entry) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("audit entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return fmt.Errorf("read the audit log: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditHead returns the sealed head.
func (s *DB) AuditHead(ctx context.Context) (audit.Head, error) {
	var h audit.Head
	err := s.db.QueryRowContext(ctx, `SELECT seq, hash, mac FROM audit_head WHERE id = 1`).Scan(&h.Seq, &h.Hash, &h.MAC)
	return h, err
}

// snapshot is a record's JSON without its bookkeeping, so two versions with
// the same content have the same bytes.
func snapshot(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // model types always marshal
	}
	return b
}

func same(a, b []byte) bool { return bytes.Equal(a, b) }
