package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// A commitment's due day and current status are stored beside its fields
// (migration 0035), computed from them as package stats computes them
// (RowOf), after its text is sealed: a restricted commitment's history
// arrives blank, so its column says pending and reveals nothing sealed.
func commitmentDue(c *model.Commitment) (due, status string) {
	return dueOf(c.MadeOn, c.DeadlineDate, c.DeadlineDuration, c.StatusHistory)
}

func dueOf(madeOn, date, duration string, history []string) (due, status string) {
	made, err := accountability.ParseDay(madeOn)
	h, _, herr := accountability.ParseHistory(history, made, accountability.Date(9999, 12, 31))
	status = accountability.Current(h)
	if err != nil || herr != nil {
		return "", status
	}
	dl, _, err := accountability.ParseDeadline(made, date, duration)
	if err != nil {
		return "", status
	}
	return dl.Due(made).String(), status
}

// backfillCommitmentDue is migration 0035's Go step: the due day and
// status of the commitments stored before it.
func (t *Tx) backfillCommitmentDue(ctx context.Context) error {
	rows, err := t.Query(ctx, `SELECT rid, made_on, deadline_date, deadline_duration, status_history FROM commitments`)
	if err != nil {
		return err
	}
	type row struct {
		rid         int64
		due, status string
	}
	var todo []row
	for rows.Next() {
		var (
			r                    row
			made, date, dur, hst string
		)
		if err := rows.Scan(&r.rid, &made, &date, &dur, &hst); err != nil {
			rows.Close()
			return err
		}
		var history []string
		json.Unmarshal([]byte(hst), &history) // unreadable: no history, pending
		r.due, r.status = dueOf(made, date, dur, history)
		todo = append(todo, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range todo {
		if _, err := t.Exec(ctx, `UPDATE commitments SET due_on = ?, status = ? WHERE rid = ?`, r.due, r.status, r.rid); err != nil {
			return err
		}
	}
	return nil
}

// commitmentTotals count the commitments by visibility and status, and
// the restricted ones by author too, since a reader counts their own
// (store.Visible's OwnedBy): migration 0039, docs/counting.md,
// "Commitment figures".
var commitmentTotals = &totals{table: "commitment_totals", cols: []string{"visibility", "status", "created_by"},
	key: `p.visibility, p.status, CASE WHEN p.visibility = 'restricted' THEN p.created_by ELSE '' END`}

// CommitmentCounts implements store.Store: the totals by status and
// visibility are a handful of rows kept with every write (totals.go);
// only the overdue ones are counted along the index on status,
// visibility and due day, over the pending commitments due before today.
func (s *DB) CommitmentCounts(ctx context.Context, v store.Visible, today string) ([]store.CommitmentCount, error) {
	var w where
	w.visible("p", v)
	rows, err := pool{s}.Query(ctx, `SELECT p.status, p.visibility, SUM(p.n) FROM commitment_totals p`+w.sql()+
		` GROUP BY p.status, p.visibility ORDER BY p.status, p.visibility`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("count commitments: %w", err)
	}
	var out []store.CommitmentCount
	for rows.Next() {
		var c store.CommitmentCount
		if err := rows.Scan(&c.Status, &c.Visibility, &c.N); err != nil {
			rows.Close()
			return nil, fmt.Errorf("count commitments: %w", err)
		}
		if c.N > 0 {
			out = append(out, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count commitments: %w", err)
	}
	overdue := map[string]int{}
	for _, m := range overdueParts(v, today) {
		var n int
		if err := (pool{s}).QueryRow(ctx, `SELECT COUNT(*) FROM commitments p WHERE `+m.cond, m.args...).Scan(&n); err != nil {
			return nil, fmt.Errorf("count overdue commitments: %w", err)
		}
		overdue[m.visibility] += n
	}
	for i := range out {
		if out[i].Status == accountability.Pending {
			out[i].Overdue = overdue[out[i].Visibility]
		}
	}
	return out, nil
}

// overduePart selects the overdue commitments of one visibility that a
// reader counts: a range of the index on status, visibility and due day.
type overduePart struct {
	visibility string
	cond       string
	args       []any
}

// overdueParts are the parts of the overdue commitments v selects: one per
// level, and the reader's own restricted ones if the levels leave them out.
func overdueParts(v store.Visible, today string) []overduePart {
	const cond = `p.status = ? AND p.visibility = ? AND p.due_on > '' AND p.due_on < ?`
	var out []overduePart
	for _, l := range v.Levels {
		out = append(out, overduePart{l, cond, []any{accountability.Pending, l, today}})
	}
	if v.OwnedBy != "" && !slices.Contains(v.Levels, model.VisibilityRestricted) {
		out = append(out, overduePart{model.VisibilityRestricted, cond + ` AND p.created_by = ?`,
			[]any{accountability.Pending, model.VisibilityRestricted, today, v.OwnedBy}})
	}
	return out
}

// OverdueCommitments implements store.Store: each part read along the
// index in the receipt's order (due day, day made, rid) and stopped after
// the page, then the parts merged in that order.
func (s *DB) OverdueCommitments(ctx context.Context, v store.Visible, today string, limit, offset int) ([]model.Commitment, error) {
	parts := overdueParts(v, today)
	if len(parts) == 0 {
		return nil, nil
	}
	const order = ` ORDER BY p.due_on, p.made_on, p.rid`
	each := ""
	if limit > 0 {
		each = fmt.Sprintf(" LIMIT %d", limit+offset)
	}
	var sel []string
	var args []any
	for i, m := range parts {
		sel = append(sel, fmt.Sprintf(`SELECT * FROM (SELECT %s, p.due_on AS due FROM commitments p WHERE %s%s%s) m%d`,
			commitmentTable.qualified(), m.cond, order, each, i))
		args = append(args, m.args...)
	}
	page := ""
	if limit > 0 {
		page = fmt.Sprintf(" LIMIT %d OFFSET %d", limit, offset)
	}
	cols := "u." + strings.ReplaceAll(commitmentTable.cols, ", ", ", u.")
	return commitmentTable.query(ctx, s, `SELECT `+cols+` FROM (`+strings.Join(sel, " UNION ALL ")+
		`) u ORDER BY u.due, u.made_on, u.rid`+page, args...)
}
