package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// querier is what reads need: the pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

type pool struct{ s *DB }

func (p pool) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = p.s.d.Rebind(q)
	if st, ok := p.s.stmts.get(ctx, p.s.db, q); ok {
		return st.QueryRowContext(ctx, args...)
	}
	return p.s.db.QueryRowContext(ctx, q, args...)
}

func (p pool) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = p.s.d.Rebind(q)
	if st, ok := p.s.stmts.get(ctx, p.s.db, q); ok {
		return st.QueryContext(ctx, args...)
	}
	return p.s.db.QueryContext(ctx, q, args...)
}

// GetIncident implements store.Store.
func (s *DB) GetIncident(ctx context.Context, id string) (*model.Incident, error) {
	inc, _, err := s.getIncident(ctx, pool{s}, "id", id)
	return inc, err
}

// GetIncidentByCode implements store.Store.
func (s *DB) GetIncidentByCode(ctx context.Context, code string) (*model.Incident, error) {
	inc, _, err := s.getIncident(ctx, pool{s}, "code", code)
	return inc, err
}

// getIncident reads one incident by a unique column ("id" or "code").
func (s *DB) getIncident(ctx context.Context, q querier, col, val string) (*model.Incident, int64, error) {
	return s.getIncidentCols(ctx, q, col, val, incidentCols)
}

// incidentColsBeforeDerived are the columns for a migration's Go step
// that reads incidents before migration place_derived has added its
// column (search_names does); it reads the mark as false.
var incidentColsBeforeDerived = strings.Replace(incidentCols, "place_derived", "(1 = 0) AS place_derived", 1)

func (s *DB) getIncidentCols(ctx context.Context, q querier, col, val, cols string) (*model.Incident, int64, error) {
	inc, rid, err := scanIncident(q.QueryRow(ctx, `SELECT `+cols+` FROM incidents WHERE `+col+` = ?`, val))
	if err != nil {
		return nil, 0, fmt.Errorf("get incident: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT type, grp, modus FROM perpetrators WHERE incident_rid = ? ORDER BY seq`, rid)
	if err != nil {
		return nil, 0, fmt.Errorf("get incident: %w", err)
	}
	for rows.Next() {
		var p model.Perpetrator
		if err := rows.Scan(&p.Type, &p.Group, &p.ModusOperandi); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("get incident: %w", err)
		}
		inc.Perpetrators = append(inc.Perpetrators, p)
	}
	rows.Close()
	// Victims and their persons in one query: a page shows them all.
	rows, err = q.Query(ctx, `SELECT v.role, v.outcome, `+personTable.qualified()+` FROM victims v JOIN persons p ON p.rid = v.person_rid
		WHERE v.incident_rid = ? ORDER BY v.seq`, rid)
	if err != nil {
		return nil, 0, fmt.Errorf("get incident: %w", err)
	}
	for rows.Next() {
		var v model.Victim
		p, _, err := personTable.scan(prefixed{rows, []any{&v.Role, &v.Outcome}})
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		v.PersonID, v.Person = p.ID, p
		inc.Victims = append(inc.Victims, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("get incident: %w", err)
	}
	return inc, rid, nil
}

// prefixed scans leading columns into extra, the rest into what its
// caller asks for: one row can feed two scanners.
type prefixed struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (p prefixed) Scan(dest ...any) error { return p.row.Scan(append(p.extra, dest...)...) }

func scanIncident(row interface{ Scan(...any) error }) (*model.Incident, int64, error) {
	var (
		inc                  model.Incident
		rid                  int64
		lat, lon             sql.NullFloat64
		tags                 string
		extSys, extID, extOr sql.NullString
	)
	err := row.Scan(&rid, &inc.ID, &inc.Code, &inc.Type, &inc.Date.Start, &inc.Date.End, &inc.Date.Precision, &inc.Date.Estimated,
		&inc.Place.Country, &inc.Place.Admin1, &inc.Place.District, &inc.Place.Locality, &lat, &lon, &inc.Place.GeoPrecision, &inc.Place.Derived, &inc.Fatalities,
		&inc.SummaryEN, &inc.SummaryAR, &inc.NarrativeEN, &inc.NarrativeAR, &inc.Verification, &inc.MotiveLink,
		&inc.Visibility, &inc.Consent, &tags, &inc.MergedInto, &extSys, &extID, &extOr,
		&inc.Version, &inc.CreatedAt, &inc.UpdatedAt, &inc.CreatedBy, &inc.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, store.ErrNotFound
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read incident: %w", err)
	}
	if lat.Valid {
		inc.Place.Lat = &lat.Float64
	}
	if lon.Valid {
		inc.Place.Lon = &lon.Float64
	}
	if err := json.Unmarshal([]byte(tags), &inc.Tags); err != nil {
		return nil, 0, fmt.Errorf("incident %s tags: %w", inc.Code, err)
	}
	if len(inc.Tags) == 0 {
		inc.Tags = nil
	}
	if extSys.Valid {
		inc.External = &model.External{System: extSys.String, ID: extID.String}
		if extOr.Valid && extOr.String != "null" {
			json.Unmarshal([]byte(extOr.String), &inc.External.Original)
		}
	}
	inc.CreatedAt, inc.UpdatedAt = inc.CreatedAt.UTC(), inc.UpdatedAt.UTC()
	return &inc, rid, nil
}

// ExternalIDs implements store.Store.
func (s *DB) ExternalIDs(ctx context.Context, system string) (map[string]string, error) {
	return externalIDs(ctx, pool{s}, system)
}

func externalIDs(ctx context.Context, q querier, system string) (map[string]string, error) {
	rows, err := q.Query(ctx, `SELECT ext_id, id FROM incidents WHERE ext_system = ?`, system)
	if err != nil {
		return nil, fmt.Errorf("external IDs: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var ext, id string
		if err := rows.Scan(&ext, &id); err != nil {
			return nil, fmt.Errorf("external IDs: %w", err)
		}
		out[ext] = id
	}
	return out, rows.Err()
}
