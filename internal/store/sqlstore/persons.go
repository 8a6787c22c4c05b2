package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/textnorm"
)

const personCols = `rid, id, name_ar, name_latin, aliases, gender, birth_year, roles, affiliations,
	home_admin1, status, risk_level, visibility, consent, version, created_at, updated_at, created_by, updated_by`

// CreatePerson implements store.Store.
func (s *DB) CreatePerson(ctx context.Context, actor string, p *model.Person) error {
	return s.write(ctx, func(t *Tx) error { return t.createPerson(ctx, actor, p) })
}

// UpdatePerson implements store.Store.
func (s *DB) UpdatePerson(ctx context.Context, actor string, p *model.Person) error {
	return s.write(ctx, func(t *Tx) error { _, err := t.updatePerson(ctx, actor, p, false); return err })
}

// GetPerson implements store.Store.
func (s *DB) GetPerson(ctx context.Context, id string) (*model.Person, error) {
	p, _, err := s.getPerson(ctx, pool{s}, id)
	return p, err
}

func (t *Tx) createPerson(ctx context.Context, actor string, p *model.Person) error {
	now := t.s.clock()
	p.ID = uuid.Must(uuid.NewV7()).String()
	if p.Visibility == "" {
		p.Visibility = model.VisibilityInternal
	}
	var err error
	if p.Sealed, err = sealNow(p.SealedText, nil, store.KindPerson, p.ID, p.Visibility); err != nil {
		return err
	}
	if f := clearPersonText(p); p.Sealed != nil && f != "" {
		return errClearText(store.KindPerson, p.ID, f)
	}
	p.Meta = newMeta(now, actor)
	var rid int64
	err = t.QueryRow(ctx, `INSERT INTO persons (`+strings.ReplaceAll(personCols, "rid, ", "")+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rid`,
		append(append([]any{p.ID}, personValues(p)...), 1, now, now, actor, actor)...).Scan(&rid)
	if err != nil {
		return fmt.Errorf("store person: %w", err)
	}
	if err := t.indexText(ctx, "person", rid, personIndexText(p), false); err != nil {
		return err
	}
	if err := t.syncSealed(ctx, actor, store.KindPerson, p.ID, nil, p.Sealed); err != nil {
		return err
	}
	return t.keep(ctx, record{kind: store.KindPerson, id: p.ID, actor: actor, action: "create", version: 1,
		snapshot: personSnapshot(p), at: now})
}

func (t *Tx) updatePerson(ctx context.Context, actor string, p *model.Person, byExternal bool) (bool, error) {
	old, rid, err := t.s.getPerson(ctx, t, p.ID)
	if err != nil {
		return false, err
	}
	if !byExternal && old.Version != p.Version {
		return false, store.ErrConflict
	}
	if p.Visibility == "" {
		p.Visibility = old.Visibility
	}
	if old.Sealed, err = t.recordSealed(ctx, store.KindPerson, old.ID); err != nil {
		return false, err
	}
	if p.Sealed, err = sealNow(p.SealedText, old.Sealed, store.KindPerson, p.ID, p.Visibility); err != nil {
		return false, err
	}
	if f := clearPersonText(p); p.Sealed != nil && f != "" {
		return false, errClearText(store.KindPerson, p.ID, f)
	}
	prev, next := personSnapshot(old), personSnapshot(p)
	p.Meta = old.Meta
	if same(prev, next) {
		return false, nil
	}
	now := t.s.clock()
	p.Version, p.UpdatedAt, p.UpdatedBy = old.Version+1, now, actor
	_, err = t.Exec(ctx, `UPDATE persons SET name_ar = ?, name_latin = ?, aliases = ?, gender = ?, birth_year = ?,
		roles = ?, affiliations = ?, home_admin1 = ?, status = ?, risk_level = ?, visibility = ?, consent = ?,
		version = ?, updated_at = ?, updated_by = ? WHERE rid = ?`,
		append(personValues(p), p.Version, now, actor, rid)...)
	if err != nil {
		return false, fmt.Errorf("update person: %w", err)
	}
	if err := t.indexText(ctx, "person", rid, personIndexText(p), true); err != nil {
		return false, err
	}
	sealing, err := t.sealUpdate(ctx, actor, store.KindPerson, p.ID, old.Sealed, p.Sealed)
	if err != nil {
		return false, err
	}
	return true, t.keep(ctx, record{kind: store.KindPerson, id: p.ID, actor: actor, action: "update",
		version: p.Version, snapshot: next, previous: prev, at: now, sealing: sealing})
}

func personValues(p *model.Person) []any {
	return []any{p.NameAR, p.NameLatin, jsonList(p.Aliases), p.Gender, p.BirthYear, jsonList(p.Roles),
		jsonList(p.Affiliations), p.HomeAdmin1, p.Status, p.RiskLevel, p.Visibility, p.Consent}
}

// personText is what a person is found by.
func personText(p *model.Person) string {
	return strings.Join(append([]string{p.NameAR, p.NameLatin}, p.Aliases...), " ")
}

// personIndexText is what the person search index holds of p: its names'
// normalised terms.
func personIndexText(p *model.Person) string {
	return strings.Join(textnorm.Terms(personText(p)), " ")
}

func personSnapshot(p *model.Person) []byte {
	c := *p
	c.Meta = model.Meta{}
	return withSealed(snapshot(c), p.Sealed)
}

func (s *DB) getPerson(ctx context.Context, q querier, id string) (*model.Person, int64, error) {
	return scanPerson(q.QueryRow(ctx, `SELECT `+personCols+` FROM persons WHERE id = ?`, id))
}

func scanPerson(row interface{ Scan(...any) error }) (*model.Person, int64, error) {
	var (
		p                      model.Person
		rid                    int64
		aliases, roles, affils string
	)
	err := row.Scan(&rid, &p.ID, &p.NameAR, &p.NameLatin, &aliases, &p.Gender, &p.BirthYear, &roles, &affils,
		&p.HomeAdmin1, &p.Status, &p.RiskLevel, &p.Visibility, &p.Consent,
		&p.Version, &p.CreatedAt, &p.UpdatedAt, &p.CreatedBy, &p.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, store.ErrNotFound
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read person: %w", err)
	}
	p.Aliases, p.Roles, p.Affiliations = fromJSONList(aliases), fromJSONList(roles), fromJSONList(affils)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, rid, nil
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
