package sqlstore

import (
	"context"
	"strings"
)

// appendBatch is how many rows of an append-only table a Tx holds before
// writing them with one multi-row INSERT. Every record write adds a version
// and an audit entry; one statement per row was a third of an import's
// statements (and, on PostgreSQL, of its round trips).
const appendBatch = 256

// appendTable is an append-only table whose rows a Tx may hold until
// commit: nothing reads it inside a write transaction but purgeHistory,
// which writes the held versions first.
type appendTable struct {
	name, cols string
	n          int // columns
}

var (
	versionsTable = appendTable{"versions", "kind, record_id, version, at, actor, action, changes, snapshot, audit_seq", 9}
	auditTable    = appendTable{"audit_log", "seq, at, actor, action, kind, record_id, version, digest, prev, hash", 10}
)

// appendQueue holds the rows not yet written, per table, in order.
type appendQueue struct {
	tables []appendTable
	rows   map[string][]any // table name → values, n per row
}

// appendRow adds one row to table, writing a full batch at once.
func (t *Tx) appendRow(ctx context.Context, table appendTable, vals ...any) error {
	q := &t.appends
	if q.rows == nil {
		q.rows = map[string][]any{}
	}
	if _, ok := q.rows[table.name]; !ok {
		q.tables = append(q.tables, table)
	}
	q.rows[table.name] = append(q.rows[table.name], vals...)
	if len(q.rows[table.name]) >= appendBatch*table.n {
		return t.writeAppends(ctx, table)
	}
	return nil
}

// flushAppends writes every held row; a Tx calls it before commit.
func (t *Tx) flushAppends(ctx context.Context) error {
	for _, table := range t.appends.tables {
		if err := t.writeAppends(ctx, table); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) writeAppends(ctx context.Context, table appendTable) error {
	vals := t.appends.rows[table.name]
	if len(vals) == 0 {
		return nil
	}
	if c := t.copier(); c != nil {
		rows := make([][]any, 0, len(vals)/table.n)
		for i := 0; i < len(vals); i += table.n {
			rows = append(rows, vals[i:i+table.n:i+table.n])
		}
		if err := t.copyRows(ctx, c, table.name, table.cols, rows); err != nil {
			return err
		}
		t.appends.rows[table.name] = vals[:0]
		return nil
	}
	q := "INSERT INTO " + table.name + " (" + table.cols + ") VALUES " +
		RowsOf("("+strings.Repeat("?, ", table.n-1)+"?)", len(vals)/table.n)
	if _, err := t.Exec(ctx, q, vals...); err != nil {
		return err
	}
	t.appends.rows[table.name] = vals[:0]
	return nil
}

// RowsOf repeats a VALUES row n times, comma-separated.
func RowsOf(row string, n int) string {
	return strings.Repeat(row+", ", n-1) + row
}
