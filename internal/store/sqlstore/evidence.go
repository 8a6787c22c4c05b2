package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

const evidenceCols = `id, parent_kind, parent_id, blob, sha256, size, type, name_sealed, created_at, created_by`

// CreateEvidence implements store.Store. The evidence row, its version,
// its intake custody line and their audit entries commit together.
func (s *DB) CreateEvidence(ctx context.Context, actor string, e *model.Evidence) error {
	return s.write(ctx, func(t *Tx) error {
		now := s.clock()
		e.ID = uuid.Must(uuid.NewV7()).String()
		e.CreatedAt, e.CreatedBy = now, actor
		_, err := t.Exec(ctx, `INSERT INTO evidence (`+evidenceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, e.ParentKind, e.ParentID, e.Blob, e.SHA256, e.Size, e.Type, e.NameSealed, now, actor)
		if err != nil {
			return fmt.Errorf("store evidence: %w", err)
		}
		if err := t.keep(ctx, record{kind: store.KindEvidence, id: e.ID, actor: actor, action: "create",
			version: 1, snapshot: snapshot(e), at: now}); err != nil {
			return err
		}
		return t.custody(ctx, model.Custody{EvidenceID: e.ID, At: now, Actor: actor, Action: model.CustodyIntake}, e.SHA256)
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
// binds the line to the note and the file's hash, so the chain attests
// which file was handled.
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
		return nil, err
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
		return nil, err
	}
	return scanEvidence(rows)
}

func scanEvidence(rows *sql.Rows) ([]model.Evidence, error) {
	defer rows.Close()
	var out []model.Evidence
	for rows.Next() {
		var e model.Evidence
		if err := rows.Scan(&e.ID, &e.ParentKind, &e.ParentID, &e.Blob, &e.SHA256, &e.Size, &e.Type,
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
		return nil, err
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
