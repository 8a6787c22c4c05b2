package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
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

// CommitmentCounts implements store.Store: one pass over the index on
// status, due day and visibility, in its order (grouped by status alone,
// each visibility a conditional sum, so that nothing is sorted), reading
// no column outside it.
func (s *DB) CommitmentCounts(ctx context.Context, v store.Visible, today string) ([]store.CommitmentCount, error) {
	var w where
	w.visible("p", v)
	levels := []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}
	var sums []string
	var args []any
	for _, l := range levels {
		sums = append(sums, `SUM(CASE WHEN p.visibility = ? THEN 1 ELSE 0 END)`,
			`SUM(CASE WHEN p.visibility = ? AND p.due_on <> '' AND p.due_on < ? THEN 1 ELSE 0 END)`)
		args = append(args, l, l, today)
	}
	rows, err := pool{s}.Query(ctx, `SELECT p.status, `+strings.Join(sums, ", ")+` FROM commitments p`+w.sql()+
		` GROUP BY p.status`, append(args, w.args...)...)
	if err != nil {
		return nil, fmt.Errorf("count commitments: %w", err)
	}
	defer rows.Close()
	var out []store.CommitmentCount
	for rows.Next() {
		var status string
		n := make([]int, 2*len(levels))
		dest := []any{&status}
		for k := range n {
			dest = append(dest, &n[k])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("count commitments: %w", err)
		}
		for k, l := range levels {
			if n[2*k] > 0 {
				out = append(out, store.CommitmentCount{Status: status, Visibility: l, N: n[2*k], Overdue: n[2*k+1]})
			}
		}
	}
	return out, rows.Err()
}

// OverdueCommitments implements store.Store.
func (s *DB) OverdueCommitments(ctx context.Context, v store.Visible, today string, limit, offset int) ([]model.Commitment, error) {
	var w where
	w.add("p.status = ?", accountability.Pending)
	w.add("p.due_on <> ''")
	w.add("p.due_on < ?", today)
	w.visible("p", v)
	page := ""
	if limit > 0 {
		page = fmt.Sprintf(" LIMIT %d OFFSET %d", limit, offset)
	}
	return commitmentTable.query(ctx, s, `SELECT `+commitmentTable.qualified()+` FROM commitments p`+w.sql()+
		` ORDER BY p.due_on, p.made_on, p.rid`+page, w.args...)
}
