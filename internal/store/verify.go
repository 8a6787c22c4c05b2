package store

import (
	"context"
	"fmt"

	"github.com/rasd-project/rasd/internal/audit"
)

// VerifyOptions says what VerifyLog checks.
type VerifyOptions struct {
	Key []byte // the head's MAC key
	// Checkpoints the log must contain and extend, their signatures
	// already checked (audit.OpenNote). The store's own anchor, if it has
	// one, is checked too.
	Checkpoints []audit.Checkpoint
}

// VerifyReport says what VerifyLog checked.
type VerifyReport struct {
	Entries  int64        // audit entries, chained and sealed
	Versions int64        // history versions, each matched to its entry
	Records  int64        // records, each matched to its latest version
	Imported int64        // of Versions, those kept as the record itself, committed to by its import's entry
	Stored   *audit.State // the data directory's checkpoint, contained; nil if none
}

// RecordError names the first record whose stored row or history differs
// from what the audit log recorded of it: changed outside rasd.
type RecordError struct {
	Kind, ID string
	Label    string // the incident's code, the user's name, …; may be empty
	Version  int
	History  bool  // a history version differs; false: the record as stored now
	Seq      int64 // the audit entry concerned, 0 if none
	Reason   string
}

func (e *RecordError) Error() string {
	name := e.ID
	if e.Label != "" {
		name = e.Label + " (" + e.ID + ")"
	}
	var where string
	switch {
	case e.History && e.Version > 0:
		where = fmt.Sprintf("history version %d", e.Version)
	case e.History:
		where = "its history"
	case e.Version > 0:
		where = fmt.Sprintf("its stored record (version %d)", e.Version)
	default:
		where = "its stored record"
	}
	return fmt.Sprintf("%s %s: %s %s", e.Kind, name, where, e.Reason)
}

// VerifyAudit verifies s's audit log: its chain against the sealed head,
// the store's checkpoint if it keeps one, every history version against
// the entry that recorded it and every record against its latest version.
// It returns the number of entries, an *audit.Error naming the first bad
// entry, an *audit.CheckpointError, or a *RecordError naming the first
// record changed outside rasd.
func VerifyAudit(ctx context.Context, s Store, key []byte) (int64, error) {
	rep, err := s.VerifyLog(ctx, VerifyOptions{Key: key})
	return rep.Entries, err
}
