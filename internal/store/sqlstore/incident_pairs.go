package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/store"
)

// MergeIncidents implements store.IncidentPairs (docs/duplicates.md):
// from gets merged_into = into, versioned and audited with the action
// "merge"; nothing else of either changes, so both keep their sources,
// history and external ids, and undoing it is clearing merged_into.
func (s *DB) MergeIncidents(ctx context.Context, actor, fromID, intoID string) (*store.IncidentMerge, error) {
	if fromID == intoID {
		return nil, store.ErrIncidentMergeSelf
	}
	var m *store.IncidentMerge
	err := s.write(ctx, func(t *Tx) error {
		from, _, err := t.s.getIncident(ctx, t, "id", fromID)
		if err != nil {
			return err
		}
		into, _, err := t.s.getIncident(ctx, t, "id", intoID)
		if err != nil {
			return err
		}
		if from.MergedInto != "" || into.MergedInto != "" {
			return store.ErrIncidentMerged
		}
		m = &store.IncidentMerge{ID: uuid.Must(uuid.NewV7()).String(), From: fromID, Into: intoID, MergedBy: actor, MergedAt: t.s.clock()}
		from.MergedInto = intoID
		if _, err := t.updateIncident(ctx, actor, "merge", from, false); err != nil {
			return err
		}
		_, err = t.Exec(ctx, `INSERT INTO incident_pairs (id, decision, a_id, b_id, decided_by, decided_at)
			VALUES (?, 'merge', ?, ?, ?, ?)`, m.ID, fromID, intoID, actor, m.MergedAt)
		if err != nil {
			return fmt.Errorf("store merge: %w", err)
		}
		return nil
	})
	return m, err
}

// UnmergeIncident implements store.IncidentPairs: fromID counts again on
// its own, versioned and audited with the action "unmerge".
func (s *DB) UnmergeIncident(ctx context.Context, actor, fromID string) error {
	return s.write(ctx, func(t *Tx) error {
		from, _, err := t.s.getIncident(ctx, t, "id", fromID)
		if err != nil {
			return err
		}
		if from.MergedInto == "" {
			return store.ErrNotMerged
		}
		from.MergedInto = ""
		if _, err := t.updateIncident(ctx, actor, "unmerge", from, false); err != nil {
			return err
		}
		_, err = t.Exec(ctx, `UPDATE incident_pairs SET undone_by = ?, undone_at = ?
			WHERE decision = 'merge' AND a_id = ? AND undone_at IS NULL`, actor, t.s.clock(), fromID)
		return err
	})
}

// IncidentMergesOf implements store.IncidentPairs.
func (s *DB) IncidentMergesOf(ctx context.Context, id string) ([]store.IncidentMerge, error) {
	rows, err := pool{s}.Query(ctx, `SELECT id, a_id, b_id, decided_by, decided_at, undone_by, undone_at
		FROM incident_pairs WHERE decision = 'merge' AND (a_id = ? OR b_id = ?) ORDER BY decided_at DESC, id DESC`, id, id)
	if err != nil {
		return nil, fmt.Errorf("read merges: %w", err)
	}
	defer rows.Close()
	var out []store.IncidentMerge
	for rows.Next() {
		var m store.IncidentMerge
		var undone sql.NullTime
		if err := rows.Scan(&m.ID, &m.From, &m.Into, &m.MergedBy, &m.MergedAt, &m.UndoneBy, &undone); err != nil {
			return nil, err
		}
		if undone.Valid {
			at := undone.Time
			m.UndoneAt = &at
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MarkDistinct implements store.IncidentPairs.
func (s *DB) MarkDistinct(ctx context.Context, actor, aID, bID string) error {
	if aID == bID {
		return store.ErrIncidentMergeSelf
	}
	k := store.PairKey(aID, bID)
	return s.write(ctx, func(t *Tx) error {
		for _, id := range k {
			if _, _, err := t.s.getIncident(ctx, t, "id", id); err != nil {
				return err
			}
		}
		var n int
		err := t.QueryRow(ctx, `SELECT COUNT(*) FROM incident_pairs WHERE decision = 'distinct' AND a_id = ? AND b_id = ?`, k[0], k[1]).Scan(&n)
		if err != nil || n > 0 {
			return err
		}
		id, at := uuid.Must(uuid.NewV7()).String(), t.s.clock()
		if _, err = t.Exec(ctx, `INSERT INTO incident_pairs (id, decision, a_id, b_id, decided_by, decided_at)
			VALUES (?, 'distinct', ?, ?, ?, ?)`, id, k[0], k[1], actor, at); err != nil {
			return err
		}
		// Audited as a merge is: who decided the two are two events, on
		// which pair (its digest names both incidents).
		sum := sha256.Sum256([]byte(k[0] + " " + k[1]))
		return t.appendAudit(ctx, audit.Entry{At: at, Actor: actor, Action: "distinct", Kind: "incident_pair",
			RecordID: id, Digest: hex.EncodeToString(sum[:])})
	})
}

// DistinctPairs implements store.IncidentPairs.
func (s *DB) DistinctPairs(ctx context.Context, id string) (map[[2]string]bool, error) {
	q, args := `SELECT a_id, b_id FROM incident_pairs WHERE decision = 'distinct'`, []any{}
	if id != "" {
		q, args = q+` AND (a_id = ? OR b_id = ?)`, []any{id, id}
	}
	rows, err := pool{s}.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read pairs: %w", err)
	}
	defer rows.Close()
	out := map[[2]string]bool{}
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			return nil, err
		}
		out[store.PairKey(a, b)] = true
	}
	return out, rows.Err()
}
