package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// SaveSheetMapping implements store.SheetMappings.
func (s *DB) SaveSheetMapping(ctx context.Context, actor string, m *model.SheetMapping) error {
	m.SavedAt = m.SavedAt.UTC().Truncate(time.Microsecond)
	return s.write(ctx, func(t *Tx) error {
		if _, err := t.Exec(ctx, `INSERT INTO sheet_mappings (name, mapping, saved_by, saved_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET mapping = excluded.mapping, saved_by = excluded.saved_by, saved_at = excluded.saved_at`,
			m.Name, string(m.JSON), m.SavedBy, m.SavedAt); err != nil {
			return fmt.Errorf("save mapping: %w", err)
		}
		return t.appendAudit(ctx, audit.Entry{At: s.clock(), Actor: actor, Action: "mapping:save", Kind: "mapping", RecordID: m.Name})
	})
}

// SheetMapping implements store.SheetMappings.
func (s *DB) SheetMapping(ctx context.Context, name string) (*model.SheetMapping, error) {
	var m model.SheetMapping
	var text string
	err := pool{s}.QueryRow(ctx, `SELECT name, mapping, saved_by, saved_at FROM sheet_mappings WHERE name = ?`, name).
		Scan(&m.Name, &text, &m.SavedBy, &m.SavedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("mapping %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read mapping: %w", err)
	}
	m.JSON, m.SavedAt = []byte(text), m.SavedAt.UTC()
	return &m, nil
}

// ListSheetMappings implements store.SheetMappings.
func (s *DB) ListSheetMappings(ctx context.Context) ([]model.SheetMapping, error) {
	rows, err := pool{s}.Query(ctx, `SELECT name, mapping, saved_by, saved_at FROM sheet_mappings ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list mappings: %w", err)
	}
	defer rows.Close()
	var out []model.SheetMapping
	for rows.Next() {
		var m model.SheetMapping
		var text string
		if err := rows.Scan(&m.Name, &text, &m.SavedBy, &m.SavedAt); err != nil {
			return nil, fmt.Errorf("list mappings: %w", err)
		}
		m.JSON, m.SavedAt = []byte(text), m.SavedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// DeleteSheetMapping implements store.SheetMappings.
func (s *DB) DeleteSheetMapping(ctx context.Context, actor, name string) error {
	return s.write(ctx, func(t *Tx) error {
		res, err := t.Exec(ctx, `DELETE FROM sheet_mappings WHERE name = ?`, name)
		if err != nil {
			return fmt.Errorf("delete mapping: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("mapping %q: %w", name, store.ErrNotFound)
		}
		return t.appendAudit(ctx, audit.Entry{At: s.clock(), Actor: actor, Action: "mapping:delete", Kind: "mapping", RecordID: name})
	})
}
