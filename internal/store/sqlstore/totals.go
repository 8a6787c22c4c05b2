package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// totals are running totals of a kind's records by a key of their stored
// columns (commitment_totals: docs/counting.md, "Commitment figures"),
// kept in the transaction of every write of a record: read from the
// record's row as stored before and after the write, so that they are a
// count of the rows by construction, whatever computed the columns. A
// write that fails rolls them back with the rest.
type totals struct {
	table string   // the totals' table: the key's columns and n
	cols  []string // the key's columns
	key   string   // the key as SQL over the kind's row p, in the order of cols
}

// keyOf is the key of the record stored at rid.
func (tt *totals) keyOf(ctx context.Context, t *Tx, from string, rid int64) ([]string, error) {
	key := make([]string, len(tt.cols))
	dest := make([]any, len(key))
	for i := range key {
		dest[i] = &key[i]
	}
	if err := t.QueryRow(ctx, `SELECT `+tt.key+` FROM `+from+` p WHERE p.rid = ?`, rid).Scan(dest...); err != nil {
		return nil, fmt.Errorf("count %s: %w", tt.table, err)
	}
	return key, nil
}

// add adds n to key's total. SQL checks a CHECK (every total zero or
// more) of the row an upsert would insert before it finds the conflict,
// so a subtraction is an UPDATE of the row, which must be there.
func (tt *totals) add(ctx context.Context, t *Tx, key []string, n int) error {
	cols := strings.Join(tt.cols, ", ")
	args := make([]any, 0, len(key)+1)
	for _, k := range key {
		args = append(args, k)
	}
	if n > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(key)), ", ")
		_, err := t.Exec(ctx, `INSERT INTO `+tt.table+` (`+cols+`, n) VALUES (`+ph+`, ?) ON CONFLICT (`+cols+
			`) DO UPDATE SET n = `+tt.table+`.n + excluded.n`, append(args, n)...)
		if err != nil {
			return fmt.Errorf("count %s: %w", tt.table, err)
		}
		return nil
	}
	conds := make([]string, len(key))
	for i, c := range tt.cols {
		conds[i] = c + " = ?"
	}
	res, err := t.Exec(ctx, `UPDATE `+tt.table+` SET n = n + ? WHERE `+strings.Join(conds, " AND "), append([]any{n}, args...)...)
	if err != nil {
		return fmt.Errorf("count %s: %w", tt.table, err)
	}
	if k, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("count %s: %w", tt.table, err)
	} else if k != 1 {
		return fmt.Errorf("count %s: no total of the record's %s to take it from: the totals no longer count the records; "+
			"rebuild them as migration 0039 fills them", tt.table, cols)
	}
	return nil
}

// moved moves one record from the total of key from to that of to (nil:
// none), in the keys' order, so that two transactions moving records
// between the same two totals lock them in the same order (PostgreSQL).
func (tt *totals) moved(ctx context.Context, t *Tx, from, to []string) error {
	if slices.Equal(from, to) {
		return nil
	}
	steps := []struct {
		key []string
		n   int
	}{{from, -1}, {to, 1}}
	if from != nil && to != nil && slices.Compare(to, from) < 0 {
		steps[0], steps[1] = steps[1], steps[0]
	}
	for _, s := range steps {
		if s.key == nil {
			continue
		}
		if err := tt.add(ctx, t, s.key, s.n); err != nil {
			return err
		}
	}
	return nil
}
