package sqlstore

import (
	"context"
	"fmt"
)

// DropIndexes drops the indexes that list (a query answering each
// index's name, ready for DROP INDEX, and its CREATE statement) names, and
// returns what builds them again: the shared half of a backend's
// IndexDeferrer, inside the import's transaction, so that a failure
// leaves the indexes as they were.
func (t *Tx) DropIndexes(ctx context.Context, list string, args ...any) (rebuild func(context.Context) error, err error) {
	rows, err := t.Query(ctx, list, args...)
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := t.Exec(ctx, `DROP INDEX `+name); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", name, err)
		}
	}
	return func(ctx context.Context) error {
		for i, def := range defs {
			if _, err := t.Exec(ctx, def); err != nil {
				return fmt.Errorf("build index %s again: %w", names[i], err)
			}
		}
		return nil
	}, nil
}
