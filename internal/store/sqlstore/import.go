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
	err := s.write(ctx, func(t *Tx) error {
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
