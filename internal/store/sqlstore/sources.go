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

// What a source said about a restricted incident is sealed with the
// incident's text (docs/keys.md, "Restricted records"): the information's
// summary, and the label of the source, as their own record groups in the
// protection compartment, written in the same transaction as the row.
// The key comes with the information (model.Information.Key).

// sealedRow is an SQL expression saying whether the row alias.id of kind
// has a sealed record group.
func sealedRow(kind, alias string) string {
	return `EXISTS (SELECT 1 FROM sealed_fields x WHERE x.kind = '` + kind + `' AND x.record_id = ` + alias +
		`.id AND x.field_group = 'record')`
}

// CreateSource implements store.Store: a source on its own is about no
// incident, so its label is kept in the clear until it tells us about a
// restricted one.
func (s *DB) CreateSource(ctx context.Context, actor string, src *model.Source) error {
	return s.write(ctx, func(t *Tx) error { return t.createSource(ctx, actor, src, nil) })
}

// AddSourceInformation implements store.Store: CreateSource and
// AddInformation in one transaction, so a refused information leaves no
// orphan source behind. About a restricted incident, both are sealed.
func (s *DB) AddSourceInformation(ctx context.Context, actor string, src *model.Source, info *model.Information) error {
	return s.write(ctx, func(t *Tx) error {
		restricted, err := t.restrictedIncident(ctx, info.IncidentID)
		if err != nil {
			return err
		}
		var key model.RecordKey
		if restricted {
			if key = info.Key; key == nil && src.Label != "" {
				return fmt.Errorf("source of information about incident %s: %w", info.IncidentID, store.ErrSealNeedsMember)
			}
		}
		if err := t.createSource(ctx, actor, src, key); err != nil {
			return err
		}
		info.SourceID = src.ID
		return t.addInformation(ctx, actor, info)
	})
}

// restrictedIncident says whether incident id is restricted. It takes the
// audit lock first (as updateIncident does): an update making the
// incident restricted, or not, runs wholly before or after this
// transaction, and seals (or unseals) what this one adds.
func (t *Tx) restrictedIncident(ctx context.Context, id string) (bool, error) {
	if err := t.lockAudit(ctx); err != nil {
		return false, err
	}
	var vis string
	err := t.QueryRow(ctx, `SELECT visibility FROM incidents WHERE id = ?`, id).Scan(&vis)
	if errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("information: incident %s: %w", id, store.ErrNotFound)
	}
	return vis == model.VisibilityRestricted, err
}

// createSource stores src; with key, its label sealed.
func (t *Tx) createSource(ctx context.Context, actor string, src *model.Source, key model.RecordKey) error {
	now := t.s.clock()
	src.ID = uuid.Must(uuid.NewV7()).String()
	src.Meta = model.Meta{Version: 1, CreatedAt: now, UpdatedAt: now, CreatedBy: actor, UpdatedBy: actor}
	var sealed *model.Sealed
	if key != nil && src.Label != "" {
		var err error
		if sealed, err = sealText(key, store.KindSource, src.ID, model.SourceText{Label: src.Label}); err != nil {
			return err
		}
		src.Label, src.Sealed = "", true
	}
	_, err := t.Exec(ctx, `INSERT INTO sources (id, type, reliability, label, version, created_at, updated_at,
		created_by, updated_by) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)`,
		src.ID, src.Type, src.Reliability, src.Label, now, now, actor, actor)
	if err != nil {
		return fmt.Errorf("store source: %w", err)
	}
	if err := t.syncSealed(ctx, actor, store.KindSource, src.ID, nil, sealed); err != nil {
		return err
	}
	return t.keep(ctx, record{kind: store.KindSource, id: src.ID, actor: actor, action: "create",
		version: 1, snapshot: sourceSnapshot(src, sealed), at: now})
}

// sealText seals v as the record group of kind/id with key.
func sealText(key model.RecordKey, kind, id string, v any) (*model.Sealed, error) {
	s, err := key.SealRecord(kind, id, v)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", kind, id, err)
	}
	return s, sealedFor(s, kind, id)
}

func sourceSnapshot(src *model.Source, sealed *model.Sealed) []byte {
	c := *src
	c.Meta = model.Meta{}
	return withSealed(snapshot(c), sealed)
}

func informationSnapshot(info *model.Information, sealed *model.Sealed) []byte {
	c := *info
	c.Meta = model.Meta{}
	return withSealed(snapshot(c), sealed)
}

// GetSource implements store.Store.
func (s *DB) GetSource(ctx context.Context, id string) (*model.Source, error) {
	return s.getSource(ctx, pool{s}, id)
}

func (s *DB) getSource(ctx context.Context, q querier, id string) (*model.Source, error) {
	var src model.Source
	err := q.QueryRow(ctx, `SELECT s.id, s.type, s.reliability, s.label, `+sealedRow(store.KindSource, "s")+`, s.version,
		s.created_at, s.updated_at, s.created_by, s.updated_by FROM sources s WHERE s.id = ?`, id).Scan(&src.ID, &src.Type,
		&src.Reliability, &src.Label, &src.Sealed, &src.Version, &src.CreatedAt, &src.UpdatedAt, &src.CreatedBy, &src.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read source: %w", err)
	}
	src.CreatedAt, src.UpdatedAt = src.CreatedAt.UTC(), src.UpdatedAt.UTC()
	return &src, nil
}

// AddInformation implements store.Store. About a restricted incident,
// the summary is sealed, and so is the source's label if it was kept in
// the clear until now.
func (s *DB) AddInformation(ctx context.Context, actor string, info *model.Information) error {
	return s.write(ctx, func(t *Tx) error { return t.addInformation(ctx, actor, info) })
}

func (t *Tx) addInformation(ctx context.Context, actor string, info *model.Information) error {
	if info.Credibility < 1 || info.Credibility > 6 {
		return fmt.Errorf("credibility must be 1 to 6, got %d", info.Credibility)
	}
	restricted, err := t.restrictedIncident(ctx, info.IncidentID)
	if err != nil {
		return err
	}
	now := t.s.clock()
	info.ID = uuid.Must(uuid.NewV7()).String()
	info.Meta = model.Meta{Version: 1, CreatedAt: now, UpdatedAt: now, CreatedBy: actor, UpdatedBy: actor}
	var sealed *model.Sealed
	if restricted {
		if err := t.sealSource(ctx, actor, info.SourceID, info.Key); err != nil {
			return err
		}
		if info.Summary != "" {
			if info.Key == nil {
				return fmt.Errorf("information about incident %s: %w", info.IncidentID, store.ErrSealNeedsMember)
			}
			if sealed, err = sealText(info.Key, store.KindInformation, info.ID, model.InformationText{Summary: info.Summary}); err != nil {
				return err
			}
			info.Summary, info.Sealed = "", true
		}
	}
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
	if err := t.syncSealed(ctx, actor, store.KindInformation, info.ID, nil, sealed); err != nil {
		return err
	}
	return t.keep(ctx, record{kind: store.KindInformation, id: info.ID, actor: actor, action: "create",
		version: 1, snapshot: informationSnapshot(info, sealed), at: now})
}

// ListInformation implements store.Store.
func (s *DB) ListInformation(ctx context.Context, incidentID string) ([]model.Information, error) {
	rows, err := pool{s}.Query(ctx, `SELECT f.id, i.id, s.id, f.credibility, f.obtained_on, f.summary, `+
		sealedRow(store.KindInformation, "f")+`, f.version, f.created_at, f.updated_at, f.created_by, f.updated_by
		FROM information f JOIN incidents i ON i.rid = f.incident_rid JOIN sources s ON s.rid = f.source_rid
		WHERE i.id = ? ORDER BY f.rid`, incidentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Information
	for rows.Next() {
		var f model.Information
		if err := rows.Scan(&f.ID, &f.IncidentID, &f.SourceID, &f.Credibility, &f.ObtainedOn, &f.Summary, &f.Sealed,
			&f.Version, &f.CreatedAt, &f.UpdatedAt, &f.CreatedBy, &f.UpdatedBy); err != nil {
			return nil, fmt.Errorf("list information: %w", err)
		}
		f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}

func (s *DB) getInformation(ctx context.Context, q querier, id string) (*model.Information, error) {
	var f model.Information
	err := q.QueryRow(ctx, `SELECT f.id, i.id, s.id, f.credibility, f.obtained_on, f.summary, f.version, f.created_at,
		f.updated_at, f.created_by, f.updated_by
		FROM information f JOIN incidents i ON i.rid = f.incident_rid JOIN sources s ON s.rid = f.source_rid
		WHERE f.id = ?`, id).Scan(&f.ID, &f.IncidentID, &f.SourceID, &f.Credibility, &f.ObtainedOn, &f.Summary,
		&f.Version, &f.CreatedAt, &f.UpdatedAt, &f.CreatedBy, &f.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read information: %w", err)
	}
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
	return &f, nil
}
