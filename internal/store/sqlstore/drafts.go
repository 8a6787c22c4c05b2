package sqlstore

import (
	"context"
	"fmt"

	"github.com/rasd-project/rasd/internal/store"
)

// CreateDraft implements store.Store: one transaction, so that a failure
// anywhere (a record refused by the database, a Link) stores nothing.
func (s *DB) CreateDraft(ctx context.Context, actor string, d *store.Draft) error {
	if d.Incident == nil {
		return fmt.Errorf("draft: no incident")
	}
	return s.write(ctx, func(t *Tx) error {
		if err := t.createIncident(ctx, actor, "create", d.Incident); err != nil {
			return err
		}
		ids := store.DraftIDs{Incident: d.Incident.ID}
		for _, v := range d.Incident.Victims {
			ids.Persons = append(ids.Persons, v.PersonID)
		}
		if d.Source != nil && len(d.Said) > 0 {
			if err := t.draftSaid(ctx, actor, d); err != nil {
				return err
			}
		}
		tables := s.kindTables()
		for i, r := range d.Records {
			c, ok := tables[r.Kind].(draftCreator)
			if !ok {
				return fmt.Errorf("draft record %d: no record kind %q", i+1, r.Kind)
			}
			if r.Link != nil {
				if err := r.Link(ids); err != nil {
					return fmt.Errorf("draft record %d (%s): %w", i+1, r.Kind, err)
				}
			}
			id, err := c.createIn(ctx, t, actor, r.Record)
			if err != nil {
				return fmt.Errorf("draft record %d (%s): %w", i+1, r.Kind, err)
			}
			ids.Records = append(ids.Records, id)
		}
		return nil
	})
}

// draftSaid stores the draft's source and what it said about the new
// incident; about a restricted one, sealed as AddSourceInformation seals.
func (t *Tx) draftSaid(ctx context.Context, actor string, d *store.Draft) error {
	restricted, err := t.restrictedIncident(ctx, d.Incident.ID)
	if err != nil {
		return err
	}
	key := d.Said[0].Key
	if restricted && key == nil && d.Source.Label != "" {
		return fmt.Errorf("source of information about incident %s: %w", d.Incident.ID, store.ErrSealNeedsMember)
	}
	if !restricted {
		key = nil
	}
	if err := t.createSource(ctx, actor, d.Source, key); err != nil {
		return err
	}
	for i := range d.Said {
		info := &d.Said[i]
		info.IncidentID, info.SourceID = d.Incident.ID, d.Source.ID
		if err := t.addInformation(ctx, actor, info); err != nil {
			return fmt.Errorf("information[%d]: %w", i, err)
		}
	}
	return nil
}

// draftCreator stores a record of any kind inside a transaction.
type draftCreator interface {
	createIn(ctx context.Context, t *Tx, actor string, r any) (string, error)
}

func (k kindStore[T]) createIn(ctx context.Context, t *Tx, actor string, r any) (string, error) {
	rec, ok := r.(*T)
	if !ok {
		return "", fmt.Errorf("a %s record is a %T, not %T", k.kt.kind.Name, r, rec)
	}
	if _, err := k.kt.create(ctx, t, actor, rec); err != nil {
		return "", err
	}
	return k.kt.kind.ID(rec), nil
}
