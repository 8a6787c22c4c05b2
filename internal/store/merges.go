package store

import (
	"context"
	"errors"
	"time"
)

// A PersonMerge is one person merged into another (docs/persons.md): the
// names of From became aliases of Into, and From's places as a victim
// became Into's. Undone, it is kept, with who undid it and when.
type PersonMerge struct {
	ID, From, Into string
	MergedBy       string
	MergedAt       time.Time
	UndoneBy       string
	UndoneAt       *time.Time
	Aliases        []string      // From's names added to Into's aliases
	Moved          []MovedVictim // From's places among incidents' victims
}

// MovedVictim is a victim entry of an incident that named From: its
// position, and whether it was dropped because Into was a victim there too.
type MovedVictim struct {
	Incident string `json:"incident"`
	Index    int    `json:"index"`
	Role     string `json:"role,omitempty"`
	Outcome  string `json:"outcome,omitempty"`
	Dropped  bool   `json:"dropped,omitempty"`
}

var (
	// ErrMergeSelf: a person merged into itself.
	ErrMergeSelf = errors.New("a person cannot be merged into itself: choose another person")
	// ErrMerged: one of the two persons is already merged into another.
	ErrMerged = errors.New("one of these persons is already merged into another: undo that merge first, or merge into the person it went into")
	// ErrMergeUndone: a merge undone already.
	ErrMergeUndone = errors.New("this merge was already undone")
)

// PersonMerges merge persons and undo merges, in one transaction each,
// every change versioned and audited.
type PersonMerges interface {
	MergePersons(ctx context.Context, actor, fromID, intoID string) (*PersonMerge, error)
	UnmergePersons(ctx context.Context, actor, mergeID string) error
	// PersonMergesOf lists the merges a person was in, either side, newest first.
	PersonMergesOf(ctx context.Context, personID string) ([]PersonMerge, error)
	// MergedInto maps every person merged into another, by a merge not
	// undone, to the person it went into.
	MergedInto(ctx context.Context) (map[string]string, error)
}

// An IncidentMerge is one incident merged into another as its duplicate
// (docs/duplicates.md): From keeps its sources, history and external id,
// and gets merged_into = Into, so that the pair counts once. Undone, it
// is kept, with who undid it and when.
type IncidentMerge struct {
	ID, From, Into string
	MergedBy       string
	MergedAt       time.Time
	UndoneBy       string
	UndoneAt       *time.Time
}

var (
	// ErrIncidentMergeSelf: an incident merged into itself.
	ErrIncidentMergeSelf = errors.New("an incident cannot be merged into itself: choose another incident")
	// ErrIncidentMerged: one of the two incidents is merged into another already.
	ErrIncidentMerged = errors.New("one of these incidents is already merged into another: undo that merge first, or merge into the incident it went into")
	// ErrNotMerged: undoing the merge of an incident merged into none.
	ErrNotMerged = errors.New("this incident is not merged into another: there is nothing to undo")
)

// IncidentPairs keep the decisions on incidents proposed as duplicates:
// merges (versioned and audited, in one transaction each) and pairs found
// to be two events.
type IncidentPairs interface {
	MergeIncidents(ctx context.Context, actor, fromID, intoID string) (*IncidentMerge, error)
	// UnmergeIncident undoes the merge of fromID into another.
	UnmergeIncident(ctx context.Context, actor, fromID string) error
	// IncidentMergesOf lists the merges an incident was in, either side, newest first.
	IncidentMergesOf(ctx context.Context, id string) ([]IncidentMerge, error)
	// MarkDistinct remembers that two incidents are two events; marking
	// a pair again changes nothing.
	MarkDistinct(ctx context.Context, actor, aID, bID string) error
	// DistinctPairs lists the pairs marked distinct that include id (all
	// pairs when id is ""), each as PairKey gives it.
	DistinctPairs(ctx context.Context, id string) (map[[2]string]bool, error)
}

// PairKey is a pair of IDs in one order, whichever order it is given in.
func PairKey(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}
