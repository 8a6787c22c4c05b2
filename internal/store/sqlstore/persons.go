package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Persons and organisations are record kinds (package kinds): their
// tables are written and read by kindTable (kinds.go).

// CreatePerson implements store.Store.
func (s *DB) CreatePerson(ctx context.Context, actor string, p *model.Person) error {
	return s.write(ctx, func(t *Tx) error { _, err := personTable.create(ctx, t, actor, p); return err })
}

// UpdatePerson implements store.Store.
func (s *DB) UpdatePerson(ctx context.Context, actor string, p *model.Person) error {
	return s.write(ctx, func(t *Tx) error { _, err := personTable.update(ctx, t, actor, p, false); return err })
}

// GetPerson implements store.Store.
func (s *DB) GetPerson(ctx context.Context, id string) (*model.Person, error) {
	p, _, err := personTable.get(ctx, pool{s}, id)
	return p, err
}

// ListPersons implements store.Store.
func (s *DB) ListPersons(ctx context.Context, f store.ListFilter) ([]model.Person, int, error) {
	return personTable.list(ctx, s, f)
}

// SearchPersons implements store.Store.
func (s *DB) SearchPersons(ctx context.Context, query string, limit int) ([]model.Person, error) {
	return personTable.searchIndexed(ctx, s, query, limit)
}

// CreateOrganisation implements store.Store. A restricted organisation's
// names and notes arrive sealed (package keys), as a person's do.
func (s *DB) CreateOrganisation(ctx context.Context, actor string, o *model.Organisation) error {
	return s.write(ctx, func(t *Tx) error { _, err := orgTable.create(ctx, t, actor, o); return err })
}

// UpdateOrganisation implements store.Store.
func (s *DB) UpdateOrganisation(ctx context.Context, actor string, o *model.Organisation) error {
	return s.write(ctx, func(t *Tx) error { _, err := orgTable.update(ctx, t, actor, o, false); return err })
}

// GetOrganisation implements store.Store.
func (s *DB) GetOrganisation(ctx context.Context, id string) (*model.Organisation, error) {
	o, _, err := orgTable.get(ctx, pool{s}, id)
	return o, err
}

// ListOrganisations implements store.Store. Organisations are few: their
// names are matched with LIKE on a normalised copy.
func (s *DB) ListOrganisations(ctx context.Context, f store.ListFilter) ([]model.Organisation, int, error) {
	return orgTable.list(ctx, s, f)
}

func jsonList(s []string) string {
	b, _ := json.Marshal(orEmpty(s))
	return string(b)
}

func fromJSONList(s string) []string {
	var out []string
	json.Unmarshal([]byte(s), &out)
	if len(out) == 0 {
		return nil
	}
	return out
}
