// Package records is the domain service every record kind of package
// kinds shares: reading a record only for whoever may see it, writing it
// only for whoever may change it, after the kind's one validation, with
// its restricted text sealed. The web and the command line call it, never
// the store, for these kinds (docs/architecture.md).
package records

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/store"
)

// ErrNotFound is returned for a record that does not exist and, alike, for
// one the user may not see (docs/access.md): a page or an answer must not
// tell the two apart.
var ErrNotFound = store.ErrNotFound

// ErrForbidden is returned for a change the user may not make to a record
// they may see.
var ErrForbidden = errors.New("you may not change this record")

// ErrNeedsKey says a restricted record's text is sealed and the writer
// holds no key of its compartment: the field Errors name "visibility".
const ErrNeedsKey = "sealedrecords.error.need_key"

// Service reads and writes the records of one kind.
type Service[T any] struct {
	Kind    *record.Kind[T]
	Store   store.Kind[T]
	History store.History
	Keys    store.Keys // compartment membership, for a kind kept in one
	// Refs finds the records Ref and Refs fields name, by kind.
	Refs Refs
	Now  func() time.Time
	// Check, when set, adds the kind's rules that need other records (one
	// open case per person) once references are resolved; it may set the
	// fields the form does not show. Nothing is stored when it refuses.
	Check func(ctx context.Context, u *model.User, old, r *T, errs record.Errors) error
	// CheckKeyed is Check for rules that open sealed fields of other
	// records (the persons other cases name): rs is the writer's key of
	// the protection compartment for a restricted record, nil otherwise.
	CheckKeyed func(ctx context.Context, u *model.User, old, r *T, rs *keys.RecordSealer, errs record.Errors) error
}

// Refs finds the record a Ref field names, by the kind of record it
// names: the ID of the record value names (an ID, or a readable code) if u
// may see it, ErrNotFound if not (as for none).
type Refs map[string]func(ctx context.Context, u *model.User, value string) (id string, err error)

// ErrRef is the message key of a Ref naming no record the writer may see.
const ErrRef = "record.error.ref"

// New is the service of kind k over st; refs may be nil for a kind without
// Ref fields.
func New[T any](k *record.Kind[T], st store.Store, refs Refs) *Service[T] {
	return &Service[T]{Kind: k, Store: store.Of[T](st, k), History: st, Keys: st, Refs: refs, Now: time.Now}
}

// member reports whether u may know the records of a kind kept in a
// compartment (docs/access.md): only its members; any user for other kinds.
func (s *Service[T]) member(ctx context.Context, u *model.User) (bool, error) {
	if s.Kind.Compartment == "" {
		return true, nil
	}
	if !access.Active(u) {
		return false, nil
	}
	return keys.IsMember(ctx, s.Keys, s.Kind.Compartment, u.ID)
}

// Get returns the record id if u may see it (ErrNotFound otherwise, as for
// a missing one); with edit, ErrForbidden if u may see but not change it.
func (s *Service[T]) Get(ctx context.Context, u *model.User, id string, edit bool) (*T, error) {
	if ok, err := s.member(ctx, u); err != nil {
		return nil, err
	} else if !ok {
		return nil, ErrNotFound
	}
	r, err := s.Store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	vis, by := s.Kind.Visibility(r), s.Kind.Meta(r).CreatedBy
	if !access.CanSee(u, vis, by) && s.Kind.Compartment == "" {
		return nil, ErrNotFound
	}
	if edit && !s.mayEdit(u, r) {
		return nil, ErrForbidden
	}
	return r, nil
}

// mayEdit: a kind kept in a compartment is written by its members who may
// create records; any other by access.CanEdit.
func (s *Service[T]) mayEdit(u *model.User, r *T) bool {
	if s.Kind.Compartment != "" {
		return access.CanCreate(u)
	}
	return access.CanEdit(u, s.Kind.Visibility(r), s.Kind.Meta(r).CreatedBy)
}

// visible is what u may list of the kind (a member sees every record of a
// compartment's kind).
func (s *Service[T]) visible(u *model.User) store.Visible {
	if s.Kind.Compartment != "" {
		return store.Visible{Levels: []string{model.VisibilityRestricted}}
	}
	return access.Visible(u)
}

// List returns one page of the records u may see, found by query.
func (s *Service[T]) List(ctx context.Context, u *model.User, query string, limit, offset int) ([]T, int, error) {
	return s.ListWhere(ctx, u, query, "", "", limit, offset)
}

// ListWhere is List of the records whose field holds value (their parent,
// a person they name): see store.ListFilter.
func (s *Service[T]) ListWhere(ctx context.Context, u *model.User, query, field, value string, limit, offset int) ([]T, int, error) {
	if ok, err := s.member(ctx, u); err != nil || !ok {
		return nil, 0, err
	}
	return s.Store.List(ctx, store.ListFilter{Query: query, Visible: s.visible(u), Limit: limit, Offset: offset,
		Field: field, Value: value})
}

// Search finds up to limit records u may see by query.
func (s *Service[T]) Search(ctx context.Context, u *model.User, query string, limit int) ([]T, error) {
	if ok, err := s.member(ctx, u); err != nil || !ok {
		return nil, err
	}
	found, err := s.Store.Search(ctx, query, limit)
	out := found[:0]
	for _, r := range found {
		if s.Kind.Compartment != "" || access.CanSee(u, s.Kind.Visibility(&r), s.Kind.Meta(&r).CreatedBy) {
			out = append(out, r)
		}
	}
	return out, err
}

// Versions lists r's history, oldest first (r as Get returned it).
func (s *Service[T]) Versions(ctx context.Context, r *T) ([]store.Version, error) {
	return s.History.History(ctx, s.Kind.Name, s.Kind.ID(r))
}

// New returns a record as its first form shows it.
func (s *Service[T]) New() *T {
	r := new(T)
	if s.Kind.Defaults != nil {
		s.Kind.Defaults(r)
	}
	return r
}

// Sealer gives the key that seals a restricted record's text: the
// caller's way to the protection compartment (a member's key held in a
// session, or on the command line). When the user holds none it returns
// nil and the message key that says why (ErrNeedsKey, or another).
type Sealer func(ctx context.Context) (rs *keys.RecordSealer, why string, err error)

// Save applies form f to old (nil for a new record) as u, and stores the
// result: the kind's validation (record.Kind.Validate), the rules of who
// may set what (docs/access.md), and sealing when the record is or was
// restricted. It returns the refused fields, with nothing stored, or the
// stored record. A record changed since f was opened is store.ErrConflict.
func (s *Service[T]) Save(ctx context.Context, u *model.User, old *T, f record.Form, seal Sealer) (*T, record.Errors, error) {
	r, rs, errs, err := s.prepare(ctx, u, old, f, seal, nil, false)
	defer rs.Close()
	if err != nil || len(errs) > 0 {
		return nil, errs, err
	}
	if old == nil {
		return r, nil, s.Store.Create(ctx, u.Username, r)
	}
	var version int
	if _, err := fmt.Sscan(f.Version, &version); err != nil {
		return nil, nil, fmt.Errorf("%s %s: the form carries no version: %w", s.Kind.Name, s.Kind.ID(old), store.ErrConflict)
	}
	s.Kind.Meta(r).Version = version
	return r, nil, s.Store.Update(ctx, u.Username, r)
}

// Draft is Save of a new record without the write: the record checked and
// sealed, for store.Draft to store with an accepted draft in one
// transaction. later names Ref fields that link fills in there (they may
// be empty in f, though required); link may be nil. The record is sealed
// once linked, since what link fills in may be sealed (a threat's persons).
func (s *Service[T]) Draft(ctx context.Context, u *model.User, f record.Form, seal Sealer, link func(r *T, ids store.DraftIDs) error, later ...string) (store.DraftRecord, record.Errors, error) {
	r, rs, errs, err := s.prepare(ctx, u, nil, f, seal, later, true)
	if err != nil || len(errs) > 0 {
		rs.Close()
		return store.DraftRecord{}, errs, err
	}
	d := store.DraftRecord{Kind: s.Kind.Name, Record: r, Close: rs.Close}
	unsealed := *r // the store may link again when it retries its transaction
	d.Link = func(ids store.DraftIDs) error {
		c := unsealed
		if link != nil {
			if err := link(&c, ids); err != nil {
				return err
			}
		}
		if err := keys.SealRecord(rs, s.Kind, &c); err != nil {
			return fmt.Errorf("%s: seal: %w", s.Kind.Name, err)
		}
		*r = c
		return nil
	}
	return d, nil, nil
}

// prepare is Save up to the write; the fields later are not required;
// with unsealed, the record is returned before it is sealed (Draft seals
// it once linked). The caller closes the sealer it returns (nil if none)
// once the record is written: the store seals with it then.
func (s *Service[T]) prepare(ctx context.Context, u *model.User, old *T, f record.Form, seal Sealer, later []string, unsealed bool) (r *T, rs *keys.RecordSealer, errs record.Errors, err error) {
	if ok, err := s.member(ctx, u); err != nil {
		return nil, nil, nil, err
	} else if !ok {
		return nil, nil, nil, ErrNotFound
	}
	if old == nil && !access.CanCreate(u) || old != nil && !s.mayEdit(u, old) {
		return nil, nil, nil, ErrForbidden
	}
	r = s.New()
	if old != nil {
		c := *old
		r = &c
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	errs = s.Kind.Apply(f, r, now())
	for _, name := range later {
		if errs[name] == record.ErrRequired {
			delete(errs, name)
		}
	}
	if s.Kind.Compartment != "" {
		s.Kind.Set(r, "visibility", model.VisibilityRestricted) // always, whatever was posted
	}
	if vis := s.Kind.Visibility(r); errs["visibility"] == "" && !access.CanSetVisibility(u, vis) {
		errs.Add("visibility", record.ErrCode)
	}
	if err := s.resolveRefs(ctx, u, r, errs); err != nil {
		return nil, nil, nil, err
	}
	checked := len(errs) == 0
	restricted := s.Kind.Visibility(r) == model.VisibilityRestricted ||
		old != nil && s.Kind.Visibility(old) == model.VisibilityRestricted
	if restricted {
		var why string
		if rs, why, err = seal(ctx); err != nil {
			return nil, nil, nil, err
		}
		if rs == nil {
			errs.Add("visibility", why)
		}
	}
	if s.Check != nil && checked && len(errs) == 0 {
		if err := s.Check(ctx, u, old, r, errs); err != nil {
			return nil, rs, nil, err
		}
	}
	if s.CheckKeyed != nil && checked && len(errs) == 0 {
		if err := s.CheckKeyed(ctx, u, old, r, rs, errs); err != nil {
			return nil, rs, nil, err
		}
	}
	if len(errs) > 0 || unsealed {
		return r, rs, errs, nil
	}
	if err := keys.SealRecord(rs, s.Kind, r); err != nil {
		return nil, rs, nil, fmt.Errorf("%s: seal: %w", s.Kind.Name, err)
	}
	return r, rs, nil, nil
}

// Reseal saves the stored record id again, its restricted text sealed by
// rs: for records kept in the clear before sealing existed ('rasd keys
// seal-records'). The rules are not checked again, so that a record stored
// before a rule existed can still be sealed.
func (s *Service[T]) Reseal(ctx context.Context, actor, id string, rs *keys.RecordSealer) error {
	r, err := s.Store.Get(ctx, id)
	if err != nil {
		return err
	}
	if err := keys.SealRecord(rs, s.Kind, r); err != nil {
		return fmt.Errorf("%s %s: %w", s.Kind.Name, id, err)
	}
	if err := s.Store.Update(ctx, actor, r); err != nil {
		return fmt.Errorf("%s %s: %w", s.Kind.Name, id, err)
	}
	return nil
}

// resolveRefs replaces what r's Ref and Refs fields name by the IDs of
// records u may see, refusing the field of one that names none.
func (s *Service[T]) resolveRefs(ctx context.Context, u *model.User, r *T, errs record.Errors) error {
	for _, f := range s.Kind.Fields {
		if f.Input != record.Ref && f.Input != record.Refs {
			continue
		}
		find, ok := s.Refs[f.Ref]
		if !ok {
			return fmt.Errorf("%s.%s: nothing finds records of kind %q (records.Refs)", s.Kind.Name, f.Name, f.Ref)
		}
		one := func(v string) (string, error) {
			id, err := find(ctx, u, v)
			if errors.Is(err, store.ErrNotFound) {
				errs.Add(f.Name, ErrRef)
				return v, nil
			}
			return id, err
		}
		switch v := s.Kind.Get(r, f.Name).(type) {
		case string:
			if v == "" {
				continue
			}
			id, err := one(v)
			if err != nil {
				return err
			}
			s.Kind.Set(r, f.Name, id)
		case []string:
			ids := make([]string, 0, len(v))
			for _, x := range v {
				id, err := one(x)
				if err != nil {
					return err
				}
				if !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
			s.Kind.Set(r, f.Name, ids)
		}
	}
	return nil
}

// StandardRefs finds persons, organisations and incidents (by ID, or an
// incident by its code) that u may see: the Refs of every kind naming them.
func StandardRefs(st store.Store) Refs {
	visible := func(u *model.User, vis, by string) error {
		if !access.CanSee(u, vis, by) {
			return store.ErrNotFound
		}
		return nil
	}
	return Refs{
		"person": func(ctx context.Context, u *model.User, v string) (string, error) {
			p, err := st.Persons().Get(ctx, strings.TrimSpace(v))
			if err != nil {
				return "", err
			}
			return p.ID, visible(u, p.Visibility, p.CreatedBy)
		},
		"organisation": func(ctx context.Context, u *model.User, v string) (string, error) {
			o, err := st.Organisations().Get(ctx, strings.TrimSpace(v))
			if err != nil {
				return "", err
			}
			return o.ID, visible(u, o.Visibility, o.CreatedBy)
		},
		"incident": func(ctx context.Context, u *model.User, v string) (string, error) {
			v = strings.TrimSpace(v)
			inc, err := st.GetIncident(ctx, v)
			if errors.Is(err, store.ErrNotFound) {
				inc, err = st.GetIncidentByCode(ctx, strings.ToUpper(v))
			}
			if err != nil {
				return "", err
			}
			return inc.ID, visible(u, inc.Visibility, inc.CreatedBy)
		},
	}
}
