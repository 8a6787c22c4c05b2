package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
	kindrec "github.com/rasd-project/rasd/internal/record"
)

// The person a protection case, a threat or a hit-list entry names was
// kept in the clear until migration 0037 made it a Sealed field
// (docs/protection.md, "Upgrade"). A migration holds no compartment key,
// so records stored before keep it in their column until a member's key
// moves it: SealLinks, run by package protection with the first key it
// is given, and by 'rasd keys seal-records'.

// linkSealer is a kind table whose Sealed fields may still be in the clear.
type linkSealer interface {
	sealLinks(ctx context.Context, t *Tx, actor string, key model.RecordKey) (int, error)
}

// SealLinks implements store.Cases.
func (s *DB) SealLinks(ctx context.Context, actor string, key model.RecordKey) (int, error) {
	var n int
	err := s.write(ctx, func(t *Tx) error {
		n = 0
		for _, kt := range []linkSealer{caseTable, threatTable, hitEntryTable} {
			m, err := kt.sealLinks(ctx, t, actor, key)
			if err != nil {
				return err
			}
			n += m
		}
		return nil
	})
	return n, err
}

// clearSealed is the condition true of a row holding a Sealed field in
// its column.
func (kt *kindTable[T]) clearSealed() string {
	var or []string
	for _, f := range kt.kind.Fields {
		switch {
		case !f.Sealed:
		case f.Input == kindrec.Refs || f.Input == kindrec.Lines || f.Input == kindrec.Codes:
			or = append(or, f.Name+` NOT IN ('', '[]', 'null')`)
		default:
			or = append(or, f.Name+` <> ''`)
		}
	}
	return strings.Join(or, " OR ")
}

// sealLinks seals, with key, what the kind's sealed records still hold in
// the clear, added to what their sealed group holds.
func (kt *kindTable[T]) sealLinks(ctx context.Context, t *Tx, actor string, key model.RecordKey) (int, error) {
	if kt.kind.Compartment == "" || kt.clearSealed() == "" {
		return 0, nil
	}
	ids, err := t.ids(ctx, `SELECT id FROM `+kt.table+` WHERE `+kt.clearSealed()+` ORDER BY rid`)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		r, _, err := kt.get(ctx, t, id)
		if err != nil {
			return 0, err
		}
		stored, err := t.recordSealed(ctx, kt.kind.Name, id)
		if err != nil {
			return 0, err
		}
		text := map[string]json.RawMessage{}
		if stored != nil {
			if err := key.OpenRecord(stored, &text); err != nil {
				return 0, fmt.Errorf("%s %s: %w", kt.kind.Name, id, err)
			}
		}
		var clearText map[string]json.RawMessage
		if err := json.Unmarshal(kt.kind.TakeText(r), &clearText); err != nil {
			return 0, err
		}
		for f, v := range clearText {
			text[f] = v
		}
		sealed, err := key.SealRecord(kt.kind.Name, id, text)
		if err != nil {
			return 0, err
		}
		kt.sealed(r).Seal = func(string, *model.Sealed) (*model.Sealed, error) { return sealed, nil }
		if _, err := kt.updateAs(ctx, t, actor, "seal", r, true); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}
