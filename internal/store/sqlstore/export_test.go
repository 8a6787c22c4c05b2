package sqlstore

import (
	"context"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// IncidentCountSQL is the statement, and its arguments, with which
// ListIncidents counts the incidents of f.
func (s *DB) IncidentCountSQL(f store.IncidentFilter) (string, []any, error) {
	w, err := s.incidentWhere(f)
	return incidentCount + w.sql(), w.args, err
}

// SetMaxQueuedTexts lowers how many search texts a transaction holds before
// handing them over, so tests reach that path with a few records.
func SetMaxQueuedTexts(n int) (restore func()) {
	old := maxQueuedTexts
	maxQueuedTexts = n
	return func() { maxQueuedTexts = old }
}

// UndoWrapLayer puts the database back as rasd wrote it before the keyring
// layer: every compartment key wrap stored bare, its MAC over the bare
// bytes, and the migration "wrap_layer" not applied. Tests make a
// database of that time with it, then reopen it to upgrade it.
func (s *DB) UndoWrapLayer(ctx context.Context) error {
	return s.write(ctx, func(t *Tx) error {
		rows, err := t.Query(ctx, `SELECT compartment, version, member, wrapped FROM compartment_keys`)
		if err != nil {
			return err
		}
		var ws []model.Wrap
		for rows.Next() {
			var w model.Wrap
			if err := rows.Scan(&w.Compartment, &w.Version, &w.Member, &w.Wrapped); err != nil {
				rows.Close()
				return err
			}
			ws = append(ws, w)
		}
		rows.Close()
		for _, w := range ws {
			if w.Wrapped, err = s.unlayer(w); err != nil {
				return err
			}
			if _, err := t.Exec(ctx, `UPDATE compartment_keys SET wrapped = ?, mac = ? WHERE compartment = ? AND member = ?`,
				w.Wrapped, s.wrapMAC(w), w.Compartment, w.Member); err != nil {
				return err
			}
		}
		_, err = t.Exec(ctx, `DELETE FROM schema_migrations WHERE name = 'wrap_layer'`)
		return err
	})
}

// Write runs fn in a write transaction, as every store method that writes
// does.
func (s *DB) Write(ctx context.Context, fn func(*Tx) error) error { return s.write(ctx, fn) }

// SetRollbackWait shortens how long a write whose driver panicked waits
// for its transaction to end.
func SetRollbackWait(d time.Duration) (restore func()) {
	old := rollbackWait
	rollbackWait = d
	return func() { rollbackWait = old }
}
