package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// CreateSource implements store.Store.
func (s *DB) CreateSource(ctx context.Context, actor string, src *model.Source) error {
	return s.write(ctx, func(t *Tx) error { return t.createSource(ctx, actor, src) })
}

// AddSourceInformation implements store.Store: CreateSource and
// AddInformation in one transaction, so a refused information leaves no
// orphan source behind.
func (s *DB) AddSourceInformation(ctx context.Context, actor string, src *model.Source, info *model.Information) error {
	return s.write(ctx, func(t *Tx) error {
		if err := t.createSource(ctx, actor, src); err != nil {
			return err
		}
		info.SourceID = src.ID
		return t.addInformation(ctx, actor, info)
	})
}

func (t *Tx) createSource(ctx context.Context, actor string, src *model.Source) error {
	now := t.s.clock()
	src.ID = uuid.Must(uuid.NewV7()).String()
	src.Meta = model.Meta{Version: 1, CreatedAt: now, UpdatedAt: now, CreatedBy: actor, UpdatedBy: actor}
	_, err := t.Exec(ctx, `INSERT INTO sources (id, type, reliability, label, version, created_at, updated_at,
		created_by, updated_by) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)`,
		src.ID, src.Type, src.Reliability, src.Label, now, now, actor, actor)
	if err != nil {
		return fmt.Errorf("store source: %w", err)
	}
	c := *src
	c.Meta = model.Meta{}
	return t.keep(ctx, record{kind: store.KindSource, id: src.ID, actor: actor, action: "create",
		version: 1, snapshot: snapshot(c), at: now})
}

// GetSource implements store.Store.
func (s *DB) GetSource(ctx context.Context, id string) (*model.Source, error) {
	var src model.Source
	err := pool{s}.QueryRow(ctx, `SELECT id, type, reliability, label, version, created_at, updated_at, created_by,
		updated_by FROM sources WHERE id = ?`, id).Scan(&src.ID, &src.Type, &src.Reliability, &src.Label,
		&src.Version, &src.CreatedAt, &src.UpdatedAt, &src.CreatedBy, &src.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read source: %w", err)
	}
	src.CreatedAt, src.UpdatedAt = src.CreatedAt.UTC(), src.UpdatedAt.UTC()
	return &src, nil
}

// AddInformation implements store.Store.
func (s *DB) AddInformation(ctx context.Context, actor string, info *model.Information) error {
	return s.write(ctx, func(t *Tx) error { return t.addInformation(ctx, actor, info) })
}

func (t *Tx) addInformation(ctx context.Context, actor string, info *model.Information) error {
	if info.Credibility < 1 || info.Credibility > 6 {
		return fmt.Errorf("credibility must be 1 to 6, got %d", info.Credibility)
	}
	now := t.s.clock()
	info.ID = uuid.Must(uuid.NewV7()).String()
	info.Meta = model.Meta{Version: 1, CreatedAt: now, UpdatedAt: now, CreatedBy: actor, UpdatedBy: actor}
	res, err := t.Exec(ctx, `INSERT INTO information (id, incident_rid, source_rid, credibility, obtained_on, summary,
		version, created_at, updated_at, created_by, updated_by)
		SELECT ?, i.rid, s.rid, ?, ?, ?, 1, ?, ?, ?, ? FROM incidents i, sources s WHERE i.id = ? AND s.id = ?`,
		info.ID, info.Credibility, info.ObtainedOn, info.Summary, now, now, actor, actor, info.IncidentID, info.SourceID)
	if err != nil {
		return fmt.Errorf("store information: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("information: incident %s or source %s: %w", info.IncidentID, info.SourceID, store.ErrNotFound)
	}
	c := *info
	c.Meta = model.Meta{}
	return t.keep(ctx, record{kind: store.KindInformation, id: info.ID, actor: actor, action: "create",
		version: 1, snapshot: snapshot(c), at: now})
}

// ListInformation implements store.Store.
func (s *DB) ListInformation(ctx context.Context, incidentID string) ([]model.Information, error) {
	rows, err := pool{s}.Query(ctx, `SELECT f.id, i.id, s.id, f.credibility, f.obtained_on, f.summary, f.version,
		f.created_at, f.updated_at, f.created_by, f.updated_by
		FROM information f JOIN incidents i ON i.rid = f.incident_rid JOIN sources s ON s.rid = f.source_rid
		WHERE i.id = ? ORDER BY f.rid`, incidentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Information
	for rows.Next() {
		var f model.Information
		if err := rows.Scan(&f.ID, &f.IncidentID, &f.SourceID, &f.Credibility, &f.ObtainedOn, &f.Summary,
			&f.Version, &f.CreatedAt, &f.UpdatedAt, &f.CreatedBy, &f.UpdatedBy); err != nil {
			return nil, err
		}
		f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}
