package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/rasd-project/rasd/internal/store"
)

// Statistics. countWhere turns a store.CountQuery into the one WHERE
// clause that both CountIncidents and ReceiptIncidents use, and
// victimCount is the one expression for an incident's victims, so a figure
// and its receipt cannot disagree.

// monthDays is the number of days in the month of i.date_start.
const monthDays = `CASE substr(i.date_start, 6, 2) WHEN '02' THEN (CASE WHEN
	CAST(substr(i.date_start, 1, 4) AS INTEGER) % 4 = 0 AND (CAST(substr(i.date_start, 1, 4) AS INTEGER) % 100 <> 0
	OR CAST(substr(i.date_start, 1, 4) AS INTEGER) % 400 = 0) THEN 29 ELSE 28 END)
	WHEN '04' THEN 30 WHEN '06' THEN 30 WHEN '09' THEN 30 WHEN '11' THEN 30 ELSE 31 END`

// groupKeys are the grouping expressions. A month key is given only when
// the incident's whole period lies in the month of its start: the stored
// range does, the period of its precision too (a week's seven days from
// the start, never a year). See store.CountQuery.By.
var groupKeys = map[string]string{
	"":       `''`,
	"type":   `i.type`,
	"admin1": `i.admin1`,
	"month": `CASE WHEN i.date_precision = 'year' OR substr(i.date_end, 1, 7) <> substr(i.date_start, 1, 7)
		OR (i.date_precision = 'week' AND CAST(substr(i.date_start, 9, 2) AS INTEGER) + 6 > ` + monthDays + `)
		THEN '' ELSE substr(i.date_start, 1, 7) END`,
}

// approximate is 1 for an incident whose date is estimated or less
// precise than a day.
const approximate = `CASE WHEN i.date_estimated OR i.date_precision <> 'day' THEN 1 ELSE 0 END`

// victimCond is the condition on a victim row v that q's role and outcome
// filters set, or "" for none. Each column is concatenated with the empty
// string so that no index on it is used: the filter and the count both
// read an incident's victims through the primary key (incident_rid, seq),
// the same rows, rather than victims_role and then the row for the person
// and outcome.
func victimCond(q store.CountQuery) (string, []any) {
	var w where
	w.in("(v.role || '')", q.VictimRoles)
	w.in("(v.outcome || '')", q.Outcomes)
	return strings.Join(w.conds, " AND "), w.args
}

// victimCount is the number of q's victims of incident i: each person once.
func victimCount(q store.CountQuery) (string, []any) {
	cond, args := victimCond(q)
	if cond != "" {
		cond = " AND " + cond
	}
	return `(SELECT COUNT(DISTINCT v.person_rid) FROM victims v WHERE v.incident_rid = i.rid` + cond + `)`, args
}

// countWhere is the condition an incident i must meet to be counted by q.
func countWhere(q store.CountQuery) (*where, error) {
	key, ok := groupKeys[q.By]
	if !ok {
		return nil, fmt.Errorf("count: cannot group by %q (use type, admin1 or month)", q.By)
	}
	w := &where{}
	w.add("i.merged_into = ''")
	if len(q.Verification) == 0 {
		w.add("1 = 0") // nothing counts unless a status is named
	}
	w.in("i.verification", q.Verification)
	if q.From != "" {
		w.add("i.date_start >= ?", q.From)
	}
	if q.To != "" {
		// date_start <= date_end: the first bound is implied, but lets an
		// index on date_start bound its range at both ends.
		w.add("i.date_start <= ?", q.To)
		w.add("i.date_end <= ?", q.To)
	}
	for _, b := range q.Bounds {
		var conds []string
		args := []any{b.Precision}
		if b.From != "" {
			conds, args = append(conds, "i.date_start >= ?"), append(args, b.From)
		}
		if b.To != "" {
			conds, args = append(conds, "i.date_start <= ?"), append(args, b.To)
		}
		if len(conds) > 0 {
			w.add("(i.date_precision <> ? OR ("+strings.Join(conds, " AND ")+"))", args...)
		}
	}
	w.in("i.type", q.Types)
	w.in("i.admin1", q.Admin1)
	if len(q.PerpetratorTypes) > 0 {
		var p where
		p.in("p.type", q.PerpetratorTypes)
		w.add("EXISTS (SELECT 1 FROM perpetrators p WHERE p.incident_rid = i.rid AND "+p.conds[0]+")", p.args...)
	}
	if cond, args := victimCond(q); cond != "" {
		w.add("EXISTS (SELECT 1 FROM victims v WHERE v.incident_rid = i.rid AND "+cond+")", args...)
	}
	if q.OnlyGroup {
		if q.By == "" {
			return nil, fmt.Errorf("count: a group (%q) was asked for without grouping", q.Group)
		}
		w.add(key+" = ?", q.Group)
	}
	return w, nil
}

// countSQL is the query CountIncidents runs.
func countSQL(q store.CountQuery) (string, []any, error) {
	w, err := countWhere(q)
	if err != nil {
		return "", nil, err
	}
	victims, args := victimCount(q)
	return `SELECT k, COUNT(*), CAST(COALESCE(SUM(nv), 0) AS BIGINT),
		CAST(COALESCE(SUM(f), 0) AS BIGINT), CAST(COALESCE(SUM(approx), 0) AS BIGINT)
		FROM (SELECT ` + groupKeys[q.By] + ` AS k, ` + victims + ` AS nv, i.fatalities AS f, ` + approximate + ` AS approx
		FROM incidents i` + w.sql() + `) c GROUP BY k`, append(args, w.args...), nil
}

// CountIncidents implements store.Store.
func (s *DB) CountIncidents(ctx context.Context, q store.CountQuery) ([]store.CountRow, error) {
	query, args, err := countSQL(q)
	if err != nil {
		return nil, err
	}
	rows, err := pool{s}.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("count incidents: %w", err)
	}
	defer rows.Close()
	var out []store.CountRow
	for rows.Next() {
		var r store.CountRow
		if err := rows.Scan(&r.Key, &r.Incidents, &r.Victims, &r.Fatalities, &r.Approximate); err != nil {
			return nil, fmt.Errorf("count incidents: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count incidents: %w", err)
	}
	if len(out) == 0 && q.By == "" {
		out = []store.CountRow{{}} // nothing counted is a count too
	}
	// Sorted here, byte by byte: a server's collation could order codes
	// differently.
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// ReceiptIncidents implements store.Store.
func (s *DB) ReceiptIncidents(ctx context.Context, q store.CountQuery, show store.Visible, limit, offset int) (store.Receipt, error) {
	var rc store.Receipt
	w, err := countWhere(q)
	if err != nil {
		return rc, err
	}
	var vis where
	vis.visible("i", show)
	err = pool{s}.QueryRow(ctx, `SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN `+vis.conds[0]+` THEN 0 ELSE 1 END), 0) AS BIGINT)
		FROM incidents i`+w.sql(), append(vis.args, w.args...)...).Scan(&rc.Total, &rc.Withheld)
	if err != nil {
		return rc, fmt.Errorf("receipt: %w", err)
	}
	victims, args := victimCount(q)
	w.add(vis.conds[0], vis.args...)
	page := ""
	if limit > 0 {
		page = fmt.Sprintf(" LIMIT %d OFFSET %d", limit, max(offset, 0))
	}
	rows, err := pool{s}.Query(ctx, `SELECT i.id, i.code, i.type, i.admin1, i.date_start, i.date_end, i.date_precision,
		i.date_estimated, i.verification, i.visibility, i.fatalities, `+victims+`
		FROM incidents i`+w.sql()+` ORDER BY i.date_start, i.rid`+page, append(args, w.args...)...)
	if err != nil {
		return rc, fmt.Errorf("receipt: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r store.ReceiptIncident
		d := &r.Date
		if err := rows.Scan(&r.ID, &r.Code, &r.Type, &r.Admin1, &d.Start, &d.End, &d.Precision, &d.Estimated,
			&r.Verification, &r.Visibility, &r.Fatalities, &r.Victims); err != nil {
			return rc, fmt.Errorf("receipt: %w", err)
		}
		rc.Incidents = append(rc.Incidents, r)
	}
	if err := rows.Err(); err != nil {
		return rc, fmt.Errorf("receipt: %w", err)
	}
	return rc, nil
}
