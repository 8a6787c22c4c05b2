package duplicates

import (
	"context"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// The pairs found are kept (store.DuplicatePairs, docs/duplicates.md "The
// queue"), so that the review queue reads them instead of finding them:
// a write of an incident forgets its pairs, Refresh finds them again on
// save, and Keep stores what `rasd duplicates` found.

// Refresh finds the probable duplicates of inc, as stored, and keeps them
// as its pairs; it returns them, best first.
func Refresh(ctx context.Context, st interface {
	Reader
	SetDuplicatePairsOf(ctx context.Context, id string, pairs []store.ScoredPair) error
}, inc *model.Incident) ([]Pair, error) {
	pairs, err := For(ctx, st, inc, DefaultMin)
	if err != nil {
		return nil, err
	}
	if inc.ID == "" {
		return pairs, nil
	}
	return pairs, st.SetDuplicatePairsOf(ctx, inc.ID, scored(pairs))
}

// Keep replaces every kept pair by pairs, those scoring DefaultMin or
// more (a lower --min-score lists more, but the queue shows the probable
// ones only).
func Keep(ctx context.Context, st store.DuplicatePairs, pairs []Pair) error {
	var keep []Pair
	for _, p := range pairs {
		if p.Score >= DefaultMin {
			keep = append(keep, p)
		}
	}
	return st.ReplaceDuplicatePairs(ctx, scored(keep))
}

// KeepFound adds the pairs an import's check found (Against), those whose
// imported incident is known, to the kept ones.
func KeepFound(ctx context.Context, st store.DuplicatePairs, pairs []Pair) error {
	for _, p := range pairs {
		if p.A == "" || p.B == "" {
			continue
		}
		if err := st.SetDuplicatePairsOf(ctx, p.A, scored([]Pair{p})); err != nil {
			return err
		}
	}
	return nil
}

func scored(pairs []Pair) []store.ScoredPair {
	out := make([]store.ScoredPair, len(pairs))
	for i, p := range pairs {
		out[i] = store.ScoredPair{A: p.A, B: p.B, Score: p.Score}
	}
	return out
}
