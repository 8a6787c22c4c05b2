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
	Now     func() time.Time
}

// New is the service of kind k over st.
func New[T any](k *record.Kind[T], st store.Kind[T], h store.History) *Service[T] {
	return &Service[T]{Kind: k, Store: st, History: h, Now: time.Now}
}

// Get returns the record id if u may see it (ErrNotFound otherwise, as for
// a missing one); with edit, ErrForbidden if u may see but not change it.
func (s *Service[T]) Get(ctx context.Context, u *model.User, id string, edit bool) (*T, error) {
	r, err := s.Store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	vis, by := s.Kind.Visibility(r), s.Kind.Meta(r).CreatedBy
	if !access.CanSee(u, vis, by) {
		return nil, ErrNotFound
	}
	if edit && !access.CanEdit(u, vis, by) {
		return nil, ErrForbidden
	}
	return r, nil
}

// List returns one page of the records u may see, found by query.
func (s *Service[T]) List(ctx context.Context, u *model.User, query string, limit, offset int) ([]T, int, error) {
	return s.Store.List(ctx, store.ListFilter{Query: query, Visible: access.Visible(u), Limit: limit, Offset: offset})
}

// Search finds up to limit records u may see by query.
func (s *Service[T]) Search(ctx context.Context, u *model.User, query string, limit int) ([]T, error) {
	found, err := s.Store.Search(ctx, query, limit)
	out := found[:0]
	for _, r := range found {
		if access.CanSee(u, s.Kind.Visibility(&r), s.Kind.Meta(&r).CreatedBy) {
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
	if old == nil && !access.CanCreate(u) ||
		old != nil && !access.CanEdit(u, s.Kind.Visibility(old), s.Kind.Meta(old).CreatedBy) {
		return nil, nil, ErrForbidden
	}
	r := s.New()
	if old != nil {
		c := *old
		r = &c
	}
	errs := s.Kind.Apply(f, r, s.Now())
	if vis := s.Kind.Visibility(r); errs["visibility"] == "" && !access.CanSetVisibility(u, vis) {
		errs.Add("visibility", record.ErrCode)
	}
	restricted := s.Kind.Visibility(r) == model.VisibilityRestricted ||
		old != nil && s.Kind.Visibility(old) == model.VisibilityRestricted
	var rs *keys.RecordSealer
	if restricted {
		var why string
		var err error
		if rs, why, err = seal(ctx); err != nil {
			return nil, nil, err
		}
		if rs == nil {
			errs.Add("visibility", why)
		}
	}
	defer rs.Close()
	if len(errs) > 0 {
		return nil, errs, nil
	}
	if err := keys.SealRecord(rs, s.Kind, r); err != nil {
		return nil, nil, fmt.Errorf("%s: seal: %w", s.Kind.Name, err)
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
