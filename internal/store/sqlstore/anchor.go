package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
)

// SetAnchor makes the store keep a's checkpoint: each write first checks
// that the log still contains it (refusing to write on a log whose newest
// entries were deleted), then advances it once committed. An advance that
// fails does not undo the write, which is committed: onErr hears of it,
// and the next write or 'rasd audit verify' tries again.
func (s *DB) SetAnchor(a *audit.Anchor, onErr func(error)) {
	s.anchor, s.anchorErr = a, onErr
}

// Anchor returns the anchor set with SetAnchor, or nil.
func (s *DB) Anchor() *audit.Anchor { return s.anchor }

// AnchorErrors returns the function SetAnchor was given for advances that fail.
func (s *DB) AnchorErrors() func(error) { return s.anchorErr }

func (s *DB) advanceAnchor(ctx context.Context) {
	if s.anchor == nil {
		return
	}
	// The write is committed: a request that ends now must not leave the
	// checkpoint behind.
	if _, err := s.anchor.Advance(context.WithoutCancel(ctx), s); err != nil && s.anchorErr != nil {
		s.anchorErr(err)
	}
}

// AuditRange implements audit.Log.
func (s *DB) AuditRange(ctx context.Context, after, upTo int64, fn func(audit.Entry) error) error {
	rows, err := s.db.QueryContext(ctx, s.d.Rebind(`SELECT `+auditCols+` FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq`), after, upTo)
	if err != nil {
		return fmt.Errorf("read the audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return fmt.Errorf("read the audit log: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

const auditCols = `seq, at, actor, action, kind, record_id, version, digest, prev, hash`

func scanEntry(row interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	var at string
	if err := row.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Kind, &e.RecordID, &e.Version, &e.Digest, &e.Prev, &e.Hash); err != nil {
		return e, err
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err == nil {
		e.At = t
	} // unparsable: the zero time, and the hash check names the entry
	return e, nil
}
