package protection

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
)

// Message keys of the rules that need other records (docs/protection.md,
// "Bad input"); each names the field it refuses.
const (
	ErrOpenCase    = "pcase.error.open_case"       // person: already has a case not closed
	ErrCaseClosed  = "checkin.error.case_closed"   // case_id: a check-in on a closed case
	ErrListedTwice = "hitentry.error.listed_twice" // person: already on this list
)

// codePrefix starts every case code: codes name no one, so that they may
// go to a monitoring system (rasd checkins due, --notify-cmd).
const codePrefix = "PC-"

// codeLetters leave out letters read as digits (I, O) and vowels that
// would spell words.
const codeLetters = "BCDFGHJKLMNPQRSTVWXZ23456789"

func newCode() string {
	b := make([]byte, 6)
	rand.Read(b)
	for i := range b {
		b[i] = codeLetters[int(b[i])%len(codeLetters)]
	}
	return codePrefix + string(b)
}

// all lists every record of a compartment kind u may see whose field is
// value (or every record, with field ""), a page of 1000 at a time.
func all[T any](ctx context.Context, svc *records.Service[T], u *model.User, field, value string) ([]T, error) {
	var out []T
	for {
		page, total, err := svc.ListWhere(ctx, u, "", field, value, 1000, len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

// checkCase: one case not closed per person; the code is given once; the
// day the schedule was set is kept for the overdue rule (due.go).
// The cases of the person are found by opening the cases' links with the
// writer's key rs (links.go).
func (s *Service) checkCase(ctx context.Context, u *model.User, old, c *model.ProtectionCase, rs *keys.RecordSealer, errs record.Errors) error {
	if c.Status != "closed" {
		links, err := s.Links(ctx, u, rs)
		if err != nil {
			return err
		}
		others, err := links.CasesOf(ctx, c.Person)
		if err != nil {
			return err
		}
		for _, id := range others {
			if id == c.ID {
				continue
			}
			o, err := s.Cases.Store.Get(ctx, id)
			if err != nil {
				return fmt.Errorf("case %s: %w", id, err)
			}
			if o.Status != "closed" {
				errs.Add("person", ErrOpenCase)
			}
		}
	}
	if c.Code == "" {
		c.Code = newCode()
	}
	switch {
	case old == nil:
		c.ScheduleSince = c.OpenedOn
	case old.CheckInEvery != c.CheckInEvery:
		c.ScheduleSince = s.today()
	}
	return nil
}

// checkEntry: a person is on a list once; an entry without a place goes
// last.
func (s *Service) checkEntry(ctx context.Context, u *model.User, old, e *model.HitListEntry, rs *keys.RecordSealer, errs record.Errors) error {
	entries, err := all(ctx, s.Entries, u, "list_id", e.List)
	if err != nil {
		return err
	}
	var links *Links
	if e.Person != "" && len(entries) > 0 {
		if links, err = s.Links(ctx, u, rs); err != nil {
			return err
		}
	}
	last := 0
	for _, o := range entries {
		if o.ID == e.ID {
			continue
		}
		last = max(last, o.Seq)
		if links == nil {
			continue
		}
		p, err := links.EntryPerson(ctx, o.ID)
		if err != nil {
			return err
		}
		if p != "" && links.Person(p) == links.Person(e.Person) {
			errs.Add("person", ErrListedTwice)
		}
	}
	if e.Seq == 0 {
		e.Seq = last + 1
	}
	return nil
}

// checkCheckIn: only a case not closed is checked in with; who recorded it
// is the writer.
func (s *Service) checkCheckIn(ctx context.Context, u *model.User, old, ci *model.CheckIn, _ *keys.RecordSealer, errs record.Errors) error {
	c, err := s.Cases.Get(ctx, u, ci.Case, false)
	if errors.Is(err, store.ErrNotFound) {
		errs.Add("case_id", records.ErrRef)
		return nil
	}
	if err != nil {
		return err
	}
	if c.Status == "closed" {
		errs.Add("case_id", ErrCaseClosed)
	}
	if old == nil {
		ci.CheckedBy = u.Username
	}
	return nil
}

// SaveCheckIn saves a check-in (records.Service.Save) and moves its case's
// last check-in day to it when it is the latest.
func (s *Service) SaveCheckIn(ctx context.Context, u *model.User, old *model.CheckIn, f record.Form, seal records.Sealer) (*model.CheckIn, record.Errors, error) {
	ci, errs, err := s.CheckIns.Save(ctx, u, old, f, seal)
	if err != nil || len(errs) > 0 {
		return ci, errs, err
	}
	return ci, nil, s.touchCase(ctx, ci.Case, func(c *model.ProtectionCase) bool {
		if ci.CheckedOn <= c.LastCheckIn {
			return false
		}
		c.LastCheckIn = ci.CheckedOn
		return true
	})
}

// SaveAssessment saves an assessment and, when it is the latest, sets its
// case's risk level to it. It returns the case's level before and after.
func (s *Service) SaveAssessment(ctx context.Context, u *model.User, old *model.Assessment, f record.Form, seal records.Sealer) (*model.Assessment, record.Errors, error) {
	a, errs, err := s.Assessments.Save(ctx, u, old, f, seal)
	if err != nil || len(errs) > 0 {
		return a, errs, err
	}
	latest, err := all(ctx, s.Assessments, u, "case_id", a.Case)
	if err != nil {
		return nil, nil, err
	}
	for _, o := range latest {
		if o.AssessedOn > a.AssessedOn {
			return a, nil, nil
		}
	}
	return a, nil, s.touchCase(ctx, a.Case, func(c *model.ProtectionCase) bool {
		changed := c.RiskLevel != a.RiskLevel
		c.RiskLevel = a.RiskLevel
		return changed
	})
}

// touchCase changes a case's own bookkeeping fields, keeping its sealed
// text as stored (nothing here is sealed).
func (s *Service) touchCase(ctx context.Context, id string, change func(*model.ProtectionCase) bool) error {
	c, err := s.Cases.Store.Get(ctx, id)
	if err != nil {
		return fmt.Errorf("case %s: %w", id, err)
	}
	if !change(c) {
		return nil
	}
	if err := s.Cases.Store.Update(ctx, "rasd", c); err != nil {
		return fmt.Errorf("case %s: %w", id, err)
	}
	return nil
}
