package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/rasd-project/rasd/internal/store"
)

// where accumulates conditions and their arguments.
type where struct {
	conds []string
	args  []any
}

// cond is the conditions joined, for use inside an expression.
func (w *where) cond() string {
	if len(w.conds) == 0 {
		return "1 = 1"
	}
	return "(" + strings.Join(w.conds, ") AND (") + ")"
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) in(col string, vals []string) {
	if len(vals) == 0 {
		return
	}
	w.add(col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")+")", anys(vals)...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// visible limits rows of alias a to what v allows; with no levels nothing
// is visible (deny by default).
func (w *where) visible(a string, v store.Visible) {
	if len(v.Levels) == 0 && v.OwnedBy == "" {
		w.add("1 = 0")
		return
	}
	cond := "1 = 0"
	var args []any
	if len(v.Levels) > 0 {
		cond = a + ".visibility IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(v.Levels)), ", ") + ")"
		args = anys(v.Levels)
	}
	if v.OwnedBy != "" {
		cond = "(" + cond + " OR (" + a + ".visibility = 'restricted' AND " + a + ".created_by = ?))"
		args = append(args, v.OwnedBy)
	}
	w.add(cond, args...)
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

var incidentSorts = map[string]string{
	"date": "i.date_start %s, i.rid %s", "code": "i.code %s", "updated": "i.updated_at %s, i.rid %s",
	"type": "i.type %s, i.date_start DESC", "admin1": "i.admin1 %s, i.date_start DESC",
}

// incidentWhere is the condition of f on incidents i.
func (s *DB) incidentWhere(f store.IncidentFilter) (where, error) {
	var w where
	w.visible("i", f.Visible)
	terms, err := store.QueryTerms(f.Query)
	if err != nil {
		return w, err
	}
	if len(terms) > 0 {
		match, args := s.d.Match("incident", terms, 0)
		w.add("i.rid IN ("+match+")", args...)
	}
	w.in("i.type", f.Types)
	w.in("i.verification", f.Verification)
	if f.Admin1 != "" {
		w.add("i.admin1 = ?", f.Admin1)
	}
	if f.From != "" {
		w.add("i.date_end >= ?", f.From)
	}
	if f.To != "" {
		w.add("i.date_start <= ?", f.To)
	}
	if f.StartFrom != "" {
		w.add("i.date_start >= ?", f.StartFrom)
	}
	if f.PerpetratorType != "" {
		w.add("EXISTS (SELECT 1 FROM perpetrators p WHERE p.incident_rid = i.rid AND p.type = ?)", f.PerpetratorType)
	}
	if f.VictimRole != "" {
		w.add("EXISTS (SELECT 1 FROM victims v WHERE v.incident_rid = i.rid AND v.role = ?)", f.VictimRole)
	}
	if f.PersonID != "" {
		w.add("EXISTS (SELECT 1 FROM victims v JOIN persons p ON p.rid = v.person_rid WHERE v.incident_rid = i.rid AND p.id = ?)", f.PersonID)
	}
	return w, nil
}

// incidentCount counts a list's incidents, before its WHERE. Counted by
// status (the dashboard's backlog), it reads incidents_verification alone
// (migration 0047; TestBacklogCountReadsTheIndex).
const incidentCount = `SELECT COUNT(*) FROM incidents i`

// ListIncidents implements store.Store.
func (s *DB) ListIncidents(ctx context.Context, f store.IncidentFilter) ([]store.IncidentHit, int, error) {
	w, err := s.incidentWhere(f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := (pool{s}).QueryRow(ctx, incidentCount+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count incidents: %w", err)
	}
	order, ok := incidentSorts[f.Sort]
	if !ok {
		order = incidentSorts["date"]
	}
	dir := "DESC"
	if f.Asc {
		dir = "ASC"
	}
	order = strings.ReplaceAll(order, "%s", dir)
	rows, err := pool{s}.Query(ctx, `SELECT i.id, i.code, i.type, i.date_start, i.date_precision, i.admin1,
		i.summary_en, i.summary_ar, i.visibility, i.fatalities, i.created_by, i.updated_at
		FROM incidents i`+w.sql()+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(w.args, limit(f.Limit), f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list incidents: %w", err)
	}
	defer rows.Close()
	var out []store.IncidentHit
	for rows.Next() {
		var h store.IncidentHit
		if err := rows.Scan(&h.ID, &h.Code, &h.Type, &h.DateStart, &h.Precision, &h.Admin1, &h.SummaryEN,
			&h.SummaryAR, &h.Visibility, &h.Fatalities, &h.CreatedBy, &h.UpdatedAt); err != nil {
			return nil, 0, err
		}
		out = append(out, h)
	}
	return out, total, rows.Err()
}

// limit bounds a page: 50 when none is asked for, at most 1,000.
func limit(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, 1000)
}
