package incidents

import (
	"context"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Deciding on duplicates (docs/duplicates.md) changes what is counted,
// so it is a verifier's decision, as verification is: u must be allowed
// to verify, and to change both incidents. An incident u may not see is
// refused as ErrNotFound, exactly as one that does not exist.

// bothEditable reads the two incidents as u for a decision on them.
func (s *Service) bothEditable(ctx context.Context, u *model.User, aID, bID string) (a, b *model.Incident, err error) {
	if a, err = s.Get(ctx, As(u), aID); err != nil {
		return nil, nil, err
	}
	if b, err = s.Get(ctx, As(u), bID); err != nil {
		return nil, nil, err
	}
	for _, inc := range []*model.Incident{a, b} {
		if !access.CanVerify(u) || !access.CanEdit(u, inc.Visibility, inc.CreatedBy) {
			return nil, nil, ErrForbidden
		}
	}
	return a, b, nil
}

// Merge merges the incident fromID into intoID as its duplicate, as u:
// fromID then counts no more, and keeps its sources, history and
// external id (store.ErrIncidentMerged if either is merged already).
func (s *Service) Merge(ctx context.Context, u *model.User, fromID, intoID string) (*store.IncidentMerge, error) {
	if fromID == intoID {
		return nil, store.ErrIncidentMergeSelf
	}
	from, into, err := s.bothEditable(ctx, u, fromID, intoID)
	if err != nil {
		return nil, err
	}
	if from.MergedInto != "" || into.MergedInto != "" {
		return nil, store.ErrIncidentMerged
	}
	return s.st.MergeIncidents(ctx, u.Username, fromID, intoID)
}

// Unmerge undoes the merge of fromID into the incident it went into, as u
// (store.ErrNotMerged if it is merged into none).
func (s *Service) Unmerge(ctx context.Context, u *model.User, fromID string) error {
	from, err := s.Get(ctx, As(u), fromID)
	if err != nil {
		return err
	}
	if from.MergedInto == "" {
		return store.ErrNotMerged
	}
	if _, _, err := s.bothEditable(ctx, u, fromID, from.MergedInto); err != nil {
		return err
	}
	if err := s.st.UnmergeIncident(ctx, u.Username, fromID); err != nil {
		return err
	}
	return s.refreshDuplicates(ctx, from) // it counts again: its pairs too
}

// TwoEvents remembers, as u, that two incidents are two events ("not
// the same event", store.MarkDistinct): the pair is never proposed again.
func (s *Service) TwoEvents(ctx context.Context, u *model.User, aID, bID string) error {
	if aID == bID {
		return store.ErrIncidentMergeSelf
	}
	if _, _, err := s.bothEditable(ctx, u, aID, bID); err != nil {
		return err
	}
	return s.st.MarkDistinct(ctx, u.Username, aID, bID)
}

// Merges lists the merges of an incident u may see in which the other
// incident is visible to u too: a merge never reveals an incident.
func (s *Service) Merges(ctx context.Context, r Reader, id string) ([]store.IncidentMerge, error) {
	ms, err := s.st.IncidentMergesOf(ctx, id)
	if err != nil {
		return nil, err
	}
	out := ms[:0]
	for _, m := range ms {
		other := m.From
		if other == id {
			other = m.Into
		}
		if _, err := s.Get(ctx, r, other); err == nil {
			out = append(out, m)
		}
	}
	return out, nil
}
