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
}
