package people

import (
	"context"
	"errors"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
)

// ErrMergeRestricted: a restricted person's names are sealed, and a merge
// would have to move them in the clear.
var ErrMergeRestricted = errors.New("restricted persons are not merged: their names are sealed; change one of them by hand instead")

// Merge merges the person fromID into intoID as u (docs/persons.md): u
// must be allowed to change both. A person u may not see is refused as
// not found, as one that does not exist.
func (pp *People) Merge(ctx context.Context, u *model.User, fromID, intoID string) (*store.PersonMerge, error) {
	if fromID == intoID {
		return nil, store.ErrMergeSelf
	}
	for _, id := range []string{fromID, intoID} {
		p, err := pp.Persons.Get(ctx, u, id, true) // records.ErrNotFound alike for one u may not see
		if err != nil {
			return nil, err
		}
		if p.Visibility == model.VisibilityRestricted {
			return nil, ErrMergeRestricted
		}
	}
	return pp.merges.MergePersons(ctx, u.Username, fromID, intoID)
}

// Unmerge undoes the merge mergeID, one of personID's, as u, who must be
// allowed to change both persons.
func (pp *People) Unmerge(ctx context.Context, u *model.User, personID, mergeID string) error {
	ms, err := pp.Merges(ctx, u, personID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.ID != mergeID {
			continue
		}
		for _, id := range []string{m.From, m.Into} {
			if _, err := pp.Persons.Get(ctx, u, id, true); err != nil {
				return err
			}
		}
		return pp.merges.UnmergePersons(ctx, u.Username, mergeID)
	}
	return records.ErrNotFound
}

// Merges lists the merges of a person u may see in which the other
// person is visible to u too: a merge never reveals a person.
func (pp *People) Merges(ctx context.Context, u *model.User, personID string) ([]store.PersonMerge, error) {
	if _, err := pp.Persons.Get(ctx, u, personID, false); err != nil {
		return nil, err
	}
	ms, err := pp.merges.PersonMergesOf(ctx, personID)
	if err != nil {
		return nil, err
	}
	out := ms[:0]
	for _, m := range ms {
		other := m.From
		if other == personID {
			other = m.Into
		}
		if _, err := pp.Persons.Get(ctx, u, other, false); err == nil {
			out = append(out, m)
		} else if !errors.Is(err, records.ErrNotFound) {
			return nil, err
		}
	}
	return out, nil
}
