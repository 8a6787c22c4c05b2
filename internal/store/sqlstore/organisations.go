package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/textnorm"
)

// CreateOrganisation implements store.Store. A restricted organisation's
// names and notes arrive sealed (o.Seal, package keys), as a person's do.
func (s *DB) CreateOrganisation(ctx context.Context, actor string, o *model.Organisation) error {
	return s.write(ctx, func(t *Tx) error {
		now := s.clock()
		o.ID = uuid.Must(uuid.NewV7()).String()
		if o.Visibility == "" {
			o.Visibility = model.VisibilityInternal
		}
		var err error
		if o.Sealed, err = sealNow(o.SealedText, nil, store.KindOrganisation, o.ID, o.Visibility); err != nil {
			return err
		}
		if f := clearOrganisationText(o); o.Sealed != nil && f != "" {
			return errClearText(store.KindOrganisation, o.ID, f)
		}
		o.Meta = model.Meta{Version: 1, CreatedAt: now, UpdatedAt: now, CreatedBy: actor, UpdatedBy: actor}
		_, err = t.Exec(ctx, `INSERT INTO organisations (id, name_ar, name_en, kind, status, notes, visibility,
			version, created_at, updated_at, created_by, updated_by, search_text) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
			o.ID, o.NameAR, o.NameEN, o.Kind, o.Status, o.Notes, o.Visibility, now, now, actor, actor, orgText(o))
		if err != nil {
			return fmt.Errorf("store organisation: %w", err)
		}
		if err := t.syncSealed(ctx, actor, store.KindOrganisation, o.ID, nil, o.Sealed); err != nil {
			return err
		}
		return t.keep(ctx, record{kind: store.KindOrganisation, id: o.ID, actor: actor, action: "create",
			version: 1, snapshot: orgSnapshot(o), at: now})
	})
}

// UpdateOrganisation implements store.Store.
func (s *DB) UpdateOrganisation(ctx context.Context, actor string, o *model.Organisation) error {
	return s.write(ctx, func(t *Tx) error {
		old, err := s.getOrganisation(ctx, t, o.ID)
		if err != nil {
			return err
		}
		if old.Version != o.Version {
			return store.ErrConflict
		}
		if o.Visibility == "" {
			o.Visibility = old.Visibility
		}
		if old.Sealed, err = t.recordSealed(ctx, store.KindOrganisation, old.ID); err != nil {
			return err
		}
		if o.Sealed, err = sealNow(o.SealedText, old.Sealed, store.KindOrganisation, o.ID, o.Visibility); err != nil {
			return err
		}
		if f := clearOrganisationText(o); o.Sealed != nil && f != "" {
			return errClearText(store.KindOrganisation, o.ID, f)
		}
		prev, next := orgSnapshot(old), orgSnapshot(o)
		o.Meta = old.Meta
		if same(prev, next) {
			return nil
		}
		now := s.clock()
		o.Version, o.UpdatedAt, o.UpdatedBy = old.Version+1, now, actor
		_, err = t.Exec(ctx, `UPDATE organisations SET name_ar = ?, name_en = ?, kind = ?, status = ?, notes = ?,
			visibility = ?, version = ?, updated_at = ?, updated_by = ?, search_text = ? WHERE id = ?`,
			o.NameAR, o.NameEN, o.Kind, o.Status, o.Notes, o.Visibility, o.Version, now, actor, orgText(o), o.ID)
		if err != nil {
			return fmt.Errorf("update organisation: %w", err)
		}
		sealing, err := t.sealUpdate(ctx, actor, store.KindOrganisation, o.ID, old.Sealed, o.Sealed)
		if err != nil {
			return err
		}
		return t.keep(ctx, record{kind: store.KindOrganisation, id: o.ID, actor: actor, action: "update",
			version: o.Version, snapshot: next, previous: prev, at: now, sealing: sealing})
	})
}

// GetOrganisation implements store.Store.
func (s *DB) GetOrganisation(ctx context.Context, id string) (*model.Organisation, error) {
	return s.getOrganisation(ctx, pool{s}, id)
}

func (s *DB) getOrganisation(ctx context.Context, q querier, id string) (*model.Organisation, error) {
	var o model.Organisation
	err := q.QueryRow(ctx, `SELECT id, name_ar, name_en, kind, status, notes, visibility, version, created_at,
		updated_at, created_by, updated_by FROM organisations WHERE id = ?`, id).Scan(&o.ID, &o.NameAR, &o.NameEN,
		&o.Kind, &o.Status, &o.Notes, &o.Visibility, &o.Version, &o.CreatedAt, &o.UpdatedAt, &o.CreatedBy, &o.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read organisation: %w", err)
	}
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return &o, nil
}

// orgText is what an organisation is found by, normalised, with spaces
// around each term so LIKE can match from a word's start.
func orgText(o *model.Organisation) string {
	return " " + strings.Join(textnorm.Terms(o.NameAR+" "+o.NameEN), " ") + " "
}

func orgSnapshot(o *model.Organisation) []byte {
	c := *o
	c.Meta = model.Meta{}
	return withSealed(snapshot(c), o.Sealed)
}

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
