package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// EachIncident implements store.Store: one query, incidents joined to
// their perpetrators and read row by row, so that an export of a million
// incidents holds one at a time.
func (s *DB) EachIncident(ctx context.Context, f store.IncidentFilter, fn func(*model.Incident) error) error {
	w, err := s.incidentWhere(f)
	if err != nil {
		return err
	}
	order, ok := incidentSorts[f.Sort]
	if !ok {
		order = incidentSorts["date"]
	}
	dir := "DESC"
	if f.Asc {
		dir = "ASC"
	}
	order = strings.ReplaceAll(order, "%s", dir) + ", i.rid, p.seq"
	cols := "i." + strings.Join(strings.Fields(strings.ReplaceAll(incidentCols, ",", "")), ", i.")
	rows, err := pool{s}.Query(ctx, `SELECT `+cols+`, p.type, p.grp, p.modus FROM incidents i
		LEFT JOIN perpetrators p ON p.incident_rid = i.rid`+w.sql()+` ORDER BY `+order, w.args...)
	if err != nil {
		return fmt.Errorf("export incidents: %w", err)
	}
	defer rows.Close()
	var (
		cur    *model.Incident
		curRID int64
	)
	for rows.Next() {
		var pType, pGroup, pModus sql.NullString
		inc, rid, err := scanIncident(suffixed{rows, []any{&pType, &pGroup, &pModus}})
		if err != nil {
			return err
		}
		if cur == nil || rid != curRID {
			if cur != nil {
				if err := fn(cur); err != nil {
					return err
				}
			}
			cur, curRID = inc, rid
		}
		if pType.Valid {
			cur.Perpetrators = append(cur.Perpetrators, model.Perpetrator{Type: pType.String, Group: pGroup.String, ModusOperandi: pModus.String})
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export incidents: %w", err)
	}
	if cur != nil {
		return fn(cur)
	}
	return nil
}

// suffixed scans trailing columns into extra, the leading ones into what
// its caller asks for.
type suffixed struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (p suffixed) Scan(dest ...any) error { return p.row.Scan(append(dest, p.extra...)...) }
