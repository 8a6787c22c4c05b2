package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// ImportIncidents implements store.Store: one transaction for the whole
// file, so a failure at any record leaves the store exactly as it was.
func (s *DB) ImportIncidents(ctx context.Context, actor string, incs []model.Incident, progress func(int)) (store.ImportResult, error) {
	var res store.ImportResult
	err := s.writeImport(ctx, len(incs), func(t *Tx) error {
		res = store.ImportResult{}
		for i := range incs {
			inc := &incs[i]
			id, err := t.externalID(ctx, inc.External)
			if err != nil {
				return fmt.Errorf("record %d: %w", i+1, err)
			}
			if id == "" {
				if err := t.createIncident(ctx, actor, "import", inc); err != nil {
					return fmt.Errorf("record %d: %w", i+1, err)
				}
				res.Created++
			} else {
				inc.ID = id
				changed, err := t.updateIncident(ctx, actor, "import", inc, true)
				if err != nil {
					return fmt.Errorf("record %d: %w", i+1, err)
				}
				if changed {
					res.Updated++
				} else {
					res.Unchanged++
				}
			}
			if progress != nil && (i+1)%500 == 0 {
				progress(i + 1)
			}
		}
		return nil
	})
	if err != nil {
		return store.ImportResult{}, err
	}
	if progress != nil {
		progress(len(incs))
	}
	return res, nil
}

// externalID finds the incident already imported from the same record.
func (t *Tx) externalID(ctx context.Context, ext *model.External) (string, error) {
	if ext == nil || ext.System == "" || ext.ID == "" {
		return "", nil
	}
	var id string
	err := t.QueryRow(ctx, `SELECT id FROM incidents WHERE ext_system = ? AND ext_id = ?`, ext.System, ext.ID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// ImportTuner is implemented by a Dialect that sets a connection up
// differently for a large import (SQLite: a larger page cache).
type ImportTuner interface {
	// BeginImport prepares conn, before the transaction, for an import of
	// n records. If it returns end, end runs after the transaction, whatever
	// its outcome; an error from end does not undo a committed import.
	BeginImport(ctx context.Context, conn *sql.Conn, n int) (end func(), err error)
}

// writeImport is write for an import of n records, on a connection set up
// by the dialect's ImportTuner if it has one.
func (s *DB) writeImport(ctx context.Context, n int, fn func(*Tx) error) error {
	tu, ok := s.d.(ImportTuner)
	if !ok {
		return s.write(ctx, fn)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	end, err := tu.BeginImport(ctx, conn, n)
	if err != nil {
		return err
	}
	if end != nil {
		defer end()
	}
	return s.writeOn(ctx, conn, fn)
}
