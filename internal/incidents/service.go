package incidents

import (
	"context"
	"fmt"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/duplicates"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Get returns the incident id if r may see it, else ErrNotFound, exactly
// as for one that does not exist.
func (s *Service) Get(ctx context.Context, r Reader, id string) (*model.Incident, error) {
	return s.visible(r)(s.st.GetIncident(ctx, id))
}

// GetByCode is Get by the incident's readable code (IQ-2019-0042).
func (s *Service) GetByCode(ctx context.Context, r Reader, code string) (*model.Incident, error) {
	return s.visible(r)(s.st.GetIncidentByCode(ctx, code))
}

func (s *Service) visible(r Reader) func(*model.Incident, error) (*model.Incident, error) {
	return func(inc *model.Incident, err error) (*model.Incident, error) {
		if err != nil {
			return nil, err
		}
		if !r.sees(inc.Visibility, inc.CreatedBy) {
			return nil, ErrNotFound
		}
		return inc, nil
	}
}

// GetToEdit is Get for a write by u: ErrNotFound as Get, ErrForbidden
// for an incident u sees but may not change.
func (s *Service) GetToEdit(ctx context.Context, u *model.User, id string) (*model.Incident, error) {
	inc, err := s.Get(ctx, As(u), id)
	if err != nil {
		return nil, err
	}
	if !access.CanEdit(u, inc.Visibility, inc.CreatedBy) {
		return nil, ErrForbidden
	}
	return inc, nil
}

// List returns one page of the incidents f selects that r may see, and
// how many it selects in all; level, if given, keeps one visibility.
// f.Visible is not the caller's to set: the reader decides it.
func (s *Service) List(ctx context.Context, r Reader, f store.IncidentFilter, level string) ([]store.IncidentHit, int, error) {
	f.Visible = r.visible(level)
	return s.st.ListIncidents(ctx, f)
}

// Search finds up to limit incidents matching every term of query, newest
// first, leaving out those r may not see (so a user may get fewer).
func (s *Service) Search(ctx context.Context, r Reader, query string, limit int) ([]store.IncidentHit, error) {
	hits, err := s.st.SearchIncidents(ctx, query, limit)
	if err != nil {
		return nil, err
	}
	out := hits[:0]
	for _, h := range hits {
		if r.sees(h.Visibility, h.CreatedBy) {
			out = append(out, h)
		}
	}
	return out, nil
}

// History lists every version of inc, as read with Get, oldest first.
func (s *Service) History(ctx context.Context, r Reader, inc *model.Incident) ([]store.Version, error) {
	if !r.sees(inc.Visibility, inc.CreatedBy) {
		return nil, ErrNotFound
	}
	return s.st.History(ctx, store.KindIncident, inc.ID)
}

// Said lists what sources said about inc, as read with Get, and those
// sources by ID. Restricted text in them stays sealed (keys.OpenInformation
// opens it for a member).
func (s *Service) Said(ctx context.Context, r Reader, inc *model.Incident) ([]model.Information, map[string]*model.Source, error) {
	if !r.sees(inc.Visibility, inc.CreatedBy) {
		return nil, nil, ErrNotFound
	}
	infos, err := s.st.ListInformation(ctx, inc.ID)
	if err != nil {
		return nil, nil, err
	}
	srcs := map[string]*model.Source{}
	for _, in := range infos {
		if srcs[in.SourceID] == nil {
			if srcs[in.SourceID], err = s.st.GetSource(ctx, in.SourceID); err != nil {
				return nil, nil, err
			}
		}
	}
	return infos, srcs, nil
}

// Create stores a new incident by u, if it passes Check, filling in its
// ID, code and bookkeeping. rs seals restricted text; without it (u holds
// no member's key) a restricted incident is refused
// (keys.ErrRestrictedNeedsKey).
func (s *Service) Create(ctx context.Context, u *model.User, inc *model.Incident, rs *keys.RecordSealer) error {
	if !access.CanCreate(u) {
		return ErrForbidden
	}
	if err := s.Check(ctx, u, inc, nil); err != nil {
		return err
	}
	if err := rs.Incident(inc); err != nil {
		return err
	}
	if err := s.st.CreateIncident(ctx, u.Username, inc); err != nil {
		return err
	}
	return s.refreshDuplicates(ctx, inc)
}

// Update replaces old, as u read it (GetToEdit, its text opened), by inc,
// if inc passes Check. inc.Version must be the stored version, else
// store.ErrConflict: someone saved meanwhile. rs seals as for Create; it
// is needed as well to make a restricted incident internal or public
// (store.ErrUnsealNeedsMember without).
func (s *Service) Update(ctx context.Context, u *model.User, inc, old *model.Incident, rs *keys.RecordSealer) error {
	if !access.CanEdit(u, old.Visibility, old.CreatedBy) {
		return ErrForbidden
	}
	if inc.ID != old.ID {
		return fmt.Errorf("incident %s cannot replace incident %s", inc.ID, old.ID)
	}
	if err := s.Check(ctx, u, inc, old); err != nil {
		return err
	}
	if err := rs.Incident(inc); err != nil {
		return err
	}
	if err := s.st.UpdateIncident(ctx, u.Username, inc); err != nil {
		return err
	}
	return s.refreshDuplicates(ctx, inc)
}

// SetVerification moves inc, as u read it, to the verification status to
// (MayMove), at inc's stored version, else store.ErrConflict. It changes
// nothing else: inc's sealed text stays sealed as it is.
func (s *Service) SetVerification(ctx context.Context, u *model.User, inc *model.Incident, to string, version int) error {
	if err := MayMove(u, inc, to); err != nil {
		return err
	}
	inc.Verification, inc.Version = to, version
	if err := s.st.UpdateIncident(ctx, u.Username, inc); err != nil {
		return err
	}
	return s.refreshDuplicates(ctx, inc)
}

// refreshDuplicates finds the probable duplicates of inc, just written
// (which forgot its kept pairs), and keeps them for the review queue
// (docs/duplicates.md, "The queue"). The incident is saved whatever
// this says; its error tells what to run to find them.
func (s *Service) refreshDuplicates(ctx context.Context, inc *model.Incident) error {
	stored, err := s.st.GetIncident(ctx, inc.ID)
	if err == nil {
		_, err = duplicates.Refresh(ctx, s.st, stored)
	}
	if err != nil {
		return fmt.Errorf("incident %s saved, but its probable duplicates were not found again (run rasd duplicates): %w", inc.Code, err)
	}
	return nil
}

// Seal saves the stored incident id again as actor with its text sealed
// by rs ('rasd keys seal-records': restricted incidents stored in the
// clear). No value changes, so no rule is checked again: a record stored
// before a rule existed is sealed all the same.
func (s *Service) Seal(ctx context.Context, actor, id string, rs *keys.RecordSealer) error {
	if rs == nil {
		return keys.ErrRestrictedNeedsKey
	}
	inc, err := s.st.GetIncident(ctx, id)
	if err != nil {
		return err
	}
	if err := rs.Incident(inc); err != nil {
		return err
	}
	if err := s.st.UpdateIncident(ctx, actor, inc); err != nil {
		return fmt.Errorf("incident %s: %w", inc.Code, err)
	}
	return nil
}

// Each calls fn with each incident f selects that r may see, in f's
// order, with perpetrators but without victims, one at a time (an
// export); level, if given, keeps one visibility. Restricted incidents
// come with their text sealed, as stored.
func (s *Service) Each(ctx context.Context, r Reader, f store.IncidentFilter, level string, fn func(*model.Incident) error) error {
	f.Visible = r.visible(level)
	return s.st.EachIncident(ctx, f, func(inc *model.Incident) error {
		if !r.sees(inc.Visibility, inc.CreatedBy) { // the store's filter already did; a second lock
			return nil
		}
		return fn(inc)
	})
}
