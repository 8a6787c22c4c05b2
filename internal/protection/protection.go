// Package protection is the domain service of people at risk: threats,
// hit lists, protection cases with their assessments, measures, moves and
// check-ins (docs/protection.md). Every record is a kind of package kinds
// kept in the protection compartment, so that package records already
// hides it from everyone but the compartment's members; the rules here are
// those that need other records, the overdue check-ins, the board and the
// outcomes of hit lists.
package protection

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
)

// DefaultGrace is how many days after its due day a check-in is overdue.
const DefaultGrace = 2

// Service reads and writes the records of people at risk.
type Service struct {
	st          store.Store
	Threats     *records.Service[model.Threat]
	Lists       *records.Service[model.HitList]
	Entries     *records.Service[model.HitListEntry]
	Cases       *records.Service[model.ProtectionCase]
	Assessments *records.Service[model.Assessment]
	Measures    *records.Service[model.Measure]
	Moves       *records.Service[model.Move]
	CheckIns    *records.Service[model.CheckIn]
	// Now is the clock of validation (no date in the future) and of
	// overdue check-ins; Grace the days of grace after a due day.
	Now   func() time.Time
	Grace int
	// linksSealed: no record holds its links in the clear any more
	// (links.go), known once this process moved them.
	linksSealed atomic.Bool
}

// New makes the service over st; now may be nil (time.Now).
func New(st store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	s := &Service{st: st, Now: now, Grace: DefaultGrace}
	refs := records.StandardRefs(st)
	s.Threats = at(records.New(kinds.Threat, st, refs), now)
	s.Lists = at(records.New(kinds.HitList, st, refs), now)
	s.Entries = at(records.New(kinds.HitListEntry, st, refs), now)
	s.Cases = at(records.New(kinds.ProtectionCase, st, refs), now)
	s.Assessments = at(records.New(kinds.Assessment, st, refs), now)
	s.Measures = at(records.New(kinds.Measure, st, refs), now)
	s.Moves = at(records.New(kinds.Move, st, refs), now)
	s.CheckIns = at(records.New(kinds.CheckIn, st, refs), now)
	refs["hit_list"] = func(ctx context.Context, u *model.User, v string) (string, error) {
		l, err := s.Lists.Get(ctx, u, strings.TrimSpace(v), false)
		if err != nil {
			return "", err
		}
		return l.ID, nil
	}
	refs["protection_case"] = func(ctx context.Context, u *model.User, v string) (string, error) {
		c, err := s.Case(ctx, u, v)
		if err != nil {
			return "", err
		}
		return c.ID, nil
	}
	keyed(s, s.Threats, nil)
	keyed(s, s.Lists, nil)
	keyed(s, s.Entries, s.checkEntry)
	keyed(s, s.Cases, s.checkCase)
	keyed(s, s.Assessments, nil)
	keyed(s, s.Measures, nil)
	keyed(s, s.Moves, nil)
	keyed(s, s.CheckIns, s.checkCheckIn)
	return s
}

// check is a kind's rule that needs other records (rules.go).
type check[T any] func(ctx context.Context, u *model.User, old, r *T, rs *keys.RecordSealer, errs record.Errors) error

// keyed sets svc's rules: check, after the first write with a member's key
// moved the links still in the clear into their sealed groups (links.go),
// so that no write meets a record of the old shape.
func keyed[T any](s *Service, svc *records.Service[T], c check[T]) {
	svc.CheckKeyed = func(ctx context.Context, u *model.User, old, r *T, rs *keys.RecordSealer, errs record.Errors) error {
		if rs != nil {
			if err := s.sealLinks(ctx, u.Username, rs); err != nil {
				return err
			}
		}
		if c == nil {
			return nil
		}
		return c(ctx, u, old, r, rs, errs)
	}
}

func at[T any](svc *records.Service[T], now func() time.Time) *records.Service[T] {
	svc.Now = now
	return svc
}

// today is the UTC day of the service's clock.
func (s *Service) today() string { return s.Now().UTC().Format(time.DateOnly) }

// Case finds a case u may see by its ID or its code.
func (s *Service) Case(ctx context.Context, u *model.User, idOrCode string) (*model.ProtectionCase, error) {
	v := strings.TrimSpace(idOrCode)
	c, err := s.Cases.Get(ctx, u, v, false)
	if err == nil || !strings.HasPrefix(strings.ToUpper(v), codePrefix) {
		return c, err
	}
	list, _, err := s.Cases.ListWhere(ctx, u, "", "code", strings.ToUpper(v), 1, 0)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, records.ErrNotFound
	}
	return &list[0], nil
}

// Member reports whether u may know the records of people at risk: an
// enabled member of the protection compartment (docs/access.md).
func (s *Service) Member(ctx context.Context, u *model.User) (bool, error) {
	if !access.Active(u) {
		return false, nil
	}
	return keys.IsMember(ctx, s.st, model.CompartmentProtection, u.ID)
}
