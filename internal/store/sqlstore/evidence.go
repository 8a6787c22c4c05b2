package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

const evidenceCols = `id, parent_kind, parent_id, blob, sha256, sha256_sealed, size, type, name_sealed, created_at, created_by`

// CreateEvidence implements store.Store. The evidence row, its version,
// its intake custody line and their audit entries commit together.
func (s *DB) CreateEvidence(ctx context.Context, actor string, e *model.Evidence) error {
	return s.write(ctx, func(t *Tx) error {
		now := s.clock()
		e.ID = uuid.Must(uuid.NewV7()).String()
		e.CreatedAt, e.CreatedBy = now, actor
		if len(e.SHA256Sealed) == 0 {
			return errors.New("store evidence: its SHA-256 must come sealed, with its HMAC (package evidence)")
		}
		_, err := t.Exec(ctx, `INSERT INTO evidence (`+evidenceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, e.ParentKind, e.ParentID, e.Blob, e.HashMAC, e.SHA256Sealed, e.Size, e.Type, e.NameSealed, now, actor)
		if err != nil {
			return fmt.Errorf("store evidence: %w", err)
		}
		if err := t.keep(ctx, record{kind: store.KindEvidence, id: e.ID, actor: actor, action: "create",
			version: 1, snapshot: snapshot(e), at: now}); err != nil {
			return err
		}
		return t.custody(ctx, model.Custody{EvidenceID: e.ID, At: now, Actor: actor, Action: model.CustodyIntake}, e.HashMAC)
	})
}

// LogCustody implements store.Store.
func (s *DB) LogCustody(ctx context.Context, c model.Custody) error {
	return s.write(ctx, func(t *Tx) error {
		var sum string
		err := t.QueryRow(ctx, `SELECT sha256 FROM evidence WHERE id = ?`, c.EvidenceID).Scan(&sum)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		c.At = s.clock()
		return t.custody(ctx, c, sum)
	})
}

// custody writes a custody line and its audit entry. The entry's digest
// binds the line to the note and the file's keyed hash (the sha256
// column), so the chain attests which file was handled without letting
// whoever holds a file confirm it is this one.
func (t *Tx) custody(ctx context.Context, c model.Custody, fileHash string) error {
	if _, err := t.Exec(ctx, `INSERT INTO custody (evidence_id, at, actor, action, note) VALUES (?, ?, ?, ?, ?)`,
		c.EvidenceID, c.At, c.Actor, c.Action, c.Note); err != nil {
		return fmt.Errorf("store custody: %w", err)
	}
	d := sha256.Sum256([]byte(fileHash + "\n" + c.Note))
	return t.appendAudit(ctx, audit.Entry{At: c.At, Actor: c.Actor, Action: "custody " + c.Action,
		Kind: store.KindEvidence, RecordID: c.EvidenceID, Digest: hex.EncodeToString(d[:])})
}

// GetEvidence implements store.Store.
func (s *DB) GetEvidence(ctx context.Context, id string) (*model.Evidence, error) {
	rows, err := pool{s}.Query(ctx, `SELECT `+evidenceCols+` FROM evidence WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("get evidence: %w", err)
	}
	list, err := scanEvidence(rows)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, store.ErrNotFound
	}
	return &list[0], nil
}

// ListEvidence implements store.Store.
func (s *DB) ListEvidence(ctx context.Context, parentKind, parentID string) ([]model.Evidence, error) {
	q, args := `SELECT `+evidenceCols+` FROM evidence`, []any{}
	if parentKind != "" {
		q, args = q+` WHERE parent_kind = ? AND parent_id = ?`, []any{parentKind, parentID}
	}
	rows, err := pool{s}.Query(ctx, q+` ORDER BY rid`, args...)
	if err != nil {
		return nil, fmt.Errorf("list evidence: %w", err)
	}
	return scanEvidence(rows)
}

func scanEvidence(rows *sql.Rows) ([]model.Evidence, error) {
	defer rows.Close()
	var out []model.Evidence
	for rows.Next() {
		var e model.Evidence
		if err := rows.Scan(&e.ID, &e.ParentKind, &e.ParentID, &e.Blob, &e.HashMAC, &e.SHA256Sealed, &e.Size, &e.Type,
			&e.NameSealed, &e.CreatedAt, &e.CreatedBy); err != nil {
			return nil, fmt.Errorf("read evidence: %w", err)
		}
		e.CreatedAt = e.CreatedAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// Custody implements store.Store.
func (s *DB) Custody(ctx context.Context, evidenceID string) ([]model.Custody, error) {
	rows, err := pool{s}.Query(ctx, `SELECT evidence_id, at, actor, action, note FROM custody WHERE evidence_id = ? ORDER BY rid`, evidenceID)
	if err != nil {
		return nil, fmt.Errorf("custody: %w", err)
	}
	defer rows.Close()
	var out []model.Custody
	for rows.Next() {
		var c model.Custody
		if err := rows.Scan(&c.EvidenceID, &c.At, &c.Actor, &c.Action, &c.Note); err != nil {
			return nil, fmt.Errorf("read custody: %w", err)
		}
		c.At = c.At.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// KeyEvidenceHash implements store.EvidenceStore: a row taken in before
// hashes were keyed gets mac in place of its plain hash, and sealed; its
// history versions too, in place, each keeping the digest of what it was
// (scrubbed_sha256), with a purge:history audit entry whose digest is that
// of what it left, as a purge's (purge.go). Verify compares the row with
// the version so rewritten (verify_rows.go).
func (s *DB) KeyEvidenceHash(ctx context.Context, actor, id, plain, mac string, sealed []byte) error {
	if len(sealed) == 0 || mac == "" {
		return errors.New("key evidence hash: give the HMAC and the sealed hash")
	}
	return s.write(ctx, func(t *Tx) error {
		res, err := t.Exec(ctx, `UPDATE evidence SET sha256 = ?, sha256_sealed = ? WHERE id = ? AND sha256 = ? AND sha256_sealed IS NULL`,
			mac, sealed, id, plain)
		if err != nil {
			return fmt.Errorf("key evidence %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("evidence %s is keyed already or changed: %w", id, store.ErrConflict)
		}
		return t.keyEvidenceHistory(ctx, actor, id, mac)
	})
}

// keyEvidenceHistory replaces the plain hash in evidence id's versions.
func (t *Tx) keyEvidenceHistory(ctx context.Context, actor, id, mac string) error {
	type version struct {
		n                 int
		snapshot, changes string
	}
	rows, err := t.Query(ctx, `SELECT version, snapshot, changes FROM versions WHERE kind = ? AND record_id = ? ORDER BY version`,
		store.KindEvidence, id)
	if err != nil {
		return fmt.Errorf("key evidence history: %w", err)
	}
	var vs []version
	for rows.Next() {
		var v version
		if err := rows.Scan(&v.n, &v.snapshot, &v.changes); err != nil {
			rows.Close()
			return fmt.Errorf("key evidence history: %w", err)
		}
		vs = append(vs, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("key evidence history: %w", err)
	}
	var keyed bytes.Buffer
	for _, v := range vs {
		var m map[string]any
		if err := decodeJSON([]byte(v.snapshot), &m); err != nil {
			return fmt.Errorf("evidence %s version %d: %w", id, v.n, err)
		}
		var cs []store.Change
		if err := decodeJSON([]byte(v.changes), &cs); err != nil {
			return fmt.Errorf("evidence %s version %d changes: %w", id, v.n, err)
		}
		if _, ok := m["sha256"]; !ok {
			continue
		}
		delete(m, "sha256")
		m["sha256_hmac"] = mac
		if _, ok := m[scrubbedKey]; !ok {
			sum := sha256.Sum256([]byte(v.snapshot))
			m[scrubbedKey] = hex.EncodeToString(sum[:])
		}
		for i := range cs {
			if cs[i].Field == "sha256" {
				cs[i].Old, cs[i].New, cs[i].Purged = nil, nil, true
			}
		}
		snap, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("evidence snapshot: %w", err)
		}
		changes, err := json.Marshal(cs)
		if err != nil {
			return fmt.Errorf("evidence changes: %w", err)
		}
		if _, err := t.Exec(ctx, `UPDATE versions SET snapshot = ?, changes = ? WHERE kind = ? AND record_id = ? AND version = ?`,
			string(snap), string(changes), store.KindEvidence, id, v.n); err != nil {
			return fmt.Errorf("key evidence %s version %d: %w", id, v.n, err)
		}
		// As purgeHistory records a purge: each version's snapshot and
		// changes, one a line, so that verify covers both.
		keyed.Write(snap)
		keyed.WriteByte('\n')
		keyed.Write(changes)
		keyed.WriteByte('\n')
	}
	if keyed.Len() == 0 {
		return nil
	}
	return t.keyAudit(ctx, actor, "purge:history", store.KindEvidence, id, keyed.Bytes())
}
