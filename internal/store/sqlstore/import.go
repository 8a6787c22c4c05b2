package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// ImportIncidents implements store.Store: one transaction for the whole
// file, so a failure at any record leaves the store exactly as it was.
func (s *DB) ImportIncidents(ctx context.Context, actor string, incs []model.Incident, progress func(int)) (store.ImportResult, error) {
	var res store.ImportResult
	err := s.writeImport(ctx, len(incs), func(t *Tx) error {
		res = store.ImportResult{}
		known, err := t.externalIDs(ctx, incs)
		if err != nil {
			return err
		}
		for i := range incs {
			inc := &incs[i]
			key, keyed := extKey(inc.External)
			id := known[key]
			if id == "" {
				if err := t.createIncident(ctx, actor, "import", inc); err != nil {
					return fmt.Errorf("record %d: %w", i+1, err)
				}
				if keyed {
					known[key] = inc.ID // the same record again later in the file updates this one
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

// extKey is the map key of an external reference, if it has one.
func extKey(ext *model.External) (string, bool) {
	if ext == nil || ext.System == "" || ext.ID == "" {
		return "", false
	}
	return ext.System + "\x00" + ext.ID, true
}

// externalIDs finds the incidents already imported from the records of
// incs, by extKey: a few queries for the whole file instead of one per
// record.
func (t *Tx) externalIDs(ctx context.Context, incs []model.Incident) (map[string]string, error) {
	const chunk = 500
	bySystem := map[string][]any{}
	for i := range incs {
		if _, ok := extKey(incs[i].External); ok {
			e := incs[i].External
			bySystem[e.System] = append(bySystem[e.System], e.ID)
		}
	}
	known := map[string]string{}
	for system, ids := range bySystem {
		for len(ids) > 0 {
			part := ids[:min(chunk, len(ids))]
			ids = ids[len(part):]
			q := `SELECT ext_id, id FROM incidents WHERE ext_system = ? AND ext_id IN (?` + strings.Repeat(", ?", len(part)-1) + `)`
			rows, err := t.Query(ctx, q, append([]any{system}, part...)...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var ext, id string
				if err := rows.Scan(&ext, &id); err != nil {
					rows.Close()
					return nil, err
				}
				known[system+"\x00"+ext] = id
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	return known, nil
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
