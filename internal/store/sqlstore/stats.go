package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/rasd-project/rasd/internal/store"
)

// Statistics. countWhere turns a store.CountQuery into the one WHERE
// clause that both CountIncidents and ReceiptIncidents use, and victims is
// the one expression for an incident's victims, so a figure and its
// receipt cannot disagree.
//
// CountIncidents reads stat_facts (SQLite migrations 0009 and 0016,
// Tx.writeFacts): one row per victim and perpetrator type of each
// incident, with a copy of the incident's counted columns (and its
// visibility) under the same names, so countWhere's
// conditions on "i" hold of a fact exactly when they hold of its incident.
// Grouped by incident, the facts give the same figure as the incidents
// with their victims, from one covering index. ReceiptIncidents lists
// incidents (in date order, from the incident indexes) under the same
// conditions, with the victim and perpetrator filters as one lookup into
// the facts.

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

// victims is the number of q's victims among the facts of one incident:
// the distinct persons of the facts that meet q's filters (factCond), so
// each person once, and with role or outcome filters only the victims
// that meet them. countSQL aggregates it over the facts it groups;
// victimCount reads it for one listed incident.
const victims = `COUNT(DISTINCT f.person_rid)`

// victimCount is the number of q's victims of incident i.
func victimCount(q store.CountQuery) (string, []any) {
	cond, args := factCond("f", q)
	if cond != "" {
		cond = " AND " + cond
	}
	return `(SELECT ` + victims + ` FROM stat_facts f WHERE f.incident_rid = i.rid` + cond + `)`, args
}

// factCond is the condition on a fact f that q's victim and perpetrator
// filters set, or "" for none. A fact pairs each victim with each
// perpetrator type, so one fact meets both filters exactly when the
// incident has a victim meeting one and a perpetrator meeting the other.
func factCond(f string, q store.CountQuery) (string, []any) {
	var w where
	w.in(f+".perpetrator", q.PerpetratorTypes)
	w.in(f+".role", q.VictimRoles)
	w.in(f+".outcome", q.Outcomes)
	return strings.Join(w.conds, " AND "), w.args
}

// readerCond is the condition that keeps out of a count the restricted
// incidents r may not list (docs/counting.md, "What a figure may
// reveal"), on i, an incident or a fact (which carries its incident's
// visibility), whose incident is rid; "" when r may list every one.
// Public and internal incidents count for every reader. A reader's own
// restricted incidents are found through the partial index
// incidents_restricted (SQLite 0016, PostgreSQL 0013), which needs the
// literal 'restricted' to be chosen.
func readerCond(r store.Visible, rid string) (string, []any) {
	switch {
	case slices.Contains(r.Levels, "restricted"):
		return "", nil
	case r.OwnedBy != "":
		return "(i.visibility <> 'restricted' OR " + rid + " IN (SELECT rid FROM incidents WHERE visibility = 'restricted' AND created_by = ?))",
			[]any{r.OwnedBy}
	}
	return "i.visibility <> 'restricted'", nil
}

// countWhere is the condition an incident i must meet to be counted by q.
// With facts, i is a row of stat_facts and the victim and perpetrator
// filters are conditions on it; otherwise i is an incident, and they are
// one lookup into its facts.
func countWhere(q store.CountQuery, facts bool) (*where, error) {
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
	rid := "i.rid"
	if facts {
		rid = "i.incident_rid"
	}
	if cond, args := readerCond(q.Reader, rid); cond != "" {
		w.add(cond, args...)
	}
	switch cond, args := factCond("f", q); {
	case cond == "":
	case facts:
		cond, args = factCond("i", q)
		w.add(cond, args...)
	default:
		w.add("EXISTS (SELECT 1 FROM stat_facts f WHERE f.incident_rid = i.rid AND "+cond+")", args...)
	}
	if q.OnlyGroup {
		if q.By == "" {
			return nil, fmt.Errorf("count: a group (%q) was asked for without grouping", q.Group)
		}
		w.add(key+" = ?", q.Group)
	}
	return w, nil
}

// countSQL is the query CountIncidents runs: the facts that meet q,
// grouped into their incidents (whose columns each fact repeats, hence
// MAX), then by q's key. The facts are i here, as countWhere names them
// (victims names them f).
func countSQL(q store.CountQuery) (string, []any, error) {
	w, err := countWhere(q, true)
	if err != nil {
		return "", nil, err
	}
	keys, inner := "k", "MAX("+groupKeys[q.By]+") AS k"
	if len(q.Then) > 0 && q.By == "" || len(q.Then) > len(store.CountRow{}.Then) {
		return "", nil, fmt.Errorf("count: further groupings (%v) need a first one, and at most two", q.Then)
	}
	for j, by := range q.Then {
		key, ok := groupKeys[by]
		if !ok || by == "" {
			return "", nil, fmt.Errorf("count: cannot group by %q (use type, admin1 or month)", by)
		}
		keys += fmt.Sprintf(", k%d", j)
		inner += fmt.Sprintf(", MAX(%s) AS k%d", key, j)
	}
	return `SELECT ` + keys + `, COUNT(*), CAST(COALESCE(SUM(nv), 0) AS BIGINT),
		CAST(COALESCE(SUM(f), 0) AS BIGINT), CAST(COALESCE(SUM(approx), 0) AS BIGINT)
		FROM (SELECT ` + inner + `, ` + strings.ReplaceAll(victims, "f.", "i.") + ` AS nv,
		MAX(i.fatalities) AS f, MAX(` + approximate + `) AS approx
		FROM stat_facts i` + w.sql() + ` GROUP BY i.incident_rid) c GROUP BY ` + keys, w.args, nil
}

// writeFacts rewrites incident rid's rows of stat_facts from its stored
// row, victims and perpetrators (the statement of the migration that made
// the table, for one incident). Every write of an incident ends here, in
// its transaction: writeChildren calls it.
func (t *Tx) writeFacts(ctx context.Context, rid int64, replace bool) error {
	if replace {
		if _, err := t.Exec(ctx, `DELETE FROM stat_facts WHERE incident_rid = ?`, rid); err != nil {
			return fmt.Errorf("statistics facts: %w", err)
		}
	}
	if err := t.writeFactsOf(ctx, []int64{rid}); err != nil {
		return err
	}
	return t.writeImpunity(ctx, []int64{rid}, replace)
}

// writeFactsOf derives the facts of new incidents (no facts yet) from
// their stored rows, in one statement.
func (t *Tx) writeFactsOf(ctx context.Context, rids []int64) error {
	in := "?" + strings.Repeat(", ?", len(rids)-1)
	args := make([]any, 0, 2*len(rids))
	for range 2 {
		for _, rid := range rids {
			args = append(args, rid)
		}
	}
	_, err := t.Exec(ctx, `INSERT INTO stat_facts SELECT i.rid, COALESCE(v.seq, -1), COALESCE(p.seq, -1),
		v.person_rid, v.role, v.outcome, p.type, i.type, i.admin1, i.date_start, i.date_end, i.date_precision,
		i.date_estimated, i.verification, i.merged_into, i.fatalities, i.visibility
		FROM incidents i
		LEFT JOIN victims v ON v.incident_rid = i.rid
		LEFT JOIN (SELECT incident_rid, type, MIN(seq) AS seq FROM perpetrators WHERE incident_rid IN (`+in+`)
			GROUP BY incident_rid, type) p ON p.incident_rid = i.rid
		WHERE i.rid IN (`+in+`)`, args...)
	if err != nil {
		return fmt.Errorf("statistics facts: %w", err)
	}
	return nil
}

// writeNewFacts writes the facts and impunity rows of new incidents.
func (t *Tx) writeNewFacts(ctx context.Context, rids []int64) error {
	if err := t.writeFactsOf(ctx, rids); err != nil {
		return err
	}
	return t.writeImpunity(ctx, rids, false)
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
		dest := []any{&r.Key}
		for j := range q.Then {
			dest = append(dest, &r.Then[j])
		}
		if err := rows.Scan(append(dest, &r.Incidents, &r.Victims, &r.Fatalities, &r.Approximate)...); err != nil {
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
	sort.Slice(out, func(i, j int) bool {
		return out[i].Key < out[j].Key || out[i].Key == out[j].Key && slices.Compare(out[i].Then[:], out[j].Then[:]) < 0
	})
	return out, nil
}

// ReceiptIncidents implements store.Store.
func (s *DB) ReceiptIncidents(ctx context.Context, q store.CountQuery, show store.Visible, limit, offset int) (store.Receipt, error) {
	var rc store.Receipt
	w, err := countWhere(q, false)
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
		i.date_estimated, i.verification, i.visibility, i.fatalities, i.country, i.motive_link, i.tags, `+victims+`
		FROM incidents i`+w.sql()+` ORDER BY i.date_start, i.rid`+page, append(args, w.args...)...)
	if err != nil {
		return rc, fmt.Errorf("receipt: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r store.ReceiptIncident
		var tags string
		d := &r.Date
		if err := rows.Scan(&r.ID, &r.Code, &r.Type, &r.Admin1, &d.Start, &d.End, &d.Precision, &d.Estimated,
			&r.Verification, &r.Visibility, &r.Fatalities, &r.Country, &r.MotiveLink, &tags, &r.Victims); err != nil {
			return rc, fmt.Errorf("receipt: %w", err)
		}
		r.Tags = fromJSONList(tags)
		rc.Incidents = append(rc.Incidents, r)
	}
	if err := rows.Err(); err != nil {
		return rc, fmt.Errorf("receipt: %w", err)
	}
	return rc, nil
}
