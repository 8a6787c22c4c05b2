package sqlstore

import (
	"context"
	"fmt"
)

// reindexSearch writes every incident's and person's search text again,
// as incidentText and indexText now make it (migration search_names:
// name keys, Arabic stems, labels and place names in every language,
// external ids; docs/search.md).
func (t *Tx) reindexSearch(ctx context.Context) error {
	for _, table := range []string{"incidents", "persons"} {
		ids, err := t.allIDs(ctx, table)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if table == "incidents" {
				inc, rid, err := t.s.getIncidentCols(ctx, t, "id", id, incidentColsBeforeDerived)
				if err != nil {
					return err
				}
				err = t.indexText(ctx, "incident", rid, incidentText(inc), true)
			} else {
				p, rid, err := personTable.get(ctx, t, id)
				if err != nil {
					return fmt.Errorf("reindex person: %w", err)
				}
				err = t.indexText(ctx, personTable.index, rid, personTable.indexText(p), true)
			}
			if err != nil {
				return fmt.Errorf("reindex %s: %w", table, err)
			}
		}
	}
	return nil
}

func (t *Tx) allIDs(ctx context.Context, table string) ([]string, error) {
	rows, err := t.Query(ctx, `SELECT id FROM `+table+` ORDER BY rid`)
	if err != nil {
		return nil, fmt.Errorf("reindex %s: %w", table, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("reindex %s: %w", table, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
