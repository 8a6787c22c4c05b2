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
