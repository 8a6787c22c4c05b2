package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rasd-project/rasd/internal/store"
)

// The probable duplicates found, duplicate_pairs (migration 0041,
// docs/duplicates.md "The queue"): derived data, rewritten by whoever
// finds pairs, never audited (the decisions on pairs are).

// ReplaceDuplicatePairs implements store.Store: all of them, as
// `rasd duplicates` found them.
func (s *DB) ReplaceDuplicatePairs(ctx context.Context, pairs []store.ScoredPair) error {
	return s.write(ctx, func(t *Tx) error {
		if _, err := t.Exec(ctx, `DELETE FROM duplicate_pairs`); err != nil {
			return fmt.Errorf("duplicate pairs: %w", err)
		}
		return t.insertPairs(ctx, pairs)
	})
}

// SetDuplicatePairsOf implements store.Store: the pairs of incident id,
// as found on saving it.
func (s *DB) SetDuplicatePairsOf(ctx context.Context, id string, pairs []store.ScoredPair) error {
	return s.write(ctx, func(t *Tx) error {
		var rid int64
		err := t.QueryRow(ctx, `SELECT rid FROM incidents WHERE id = ?`, id).Scan(&rid)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("duplicate pairs of %s: %w", id, err)
		}
		if err := t.deletePairsOf(ctx, rid); err != nil {
			return err
		}
		return t.insertPairs(ctx, pairs)
	})
}

// deletePairsOf forgets the pairs of incident rid: a write of it may
// change what they scored (writeChildren).
func (t *Tx) deletePairsOf(ctx context.Context, rid int64) error {
	for _, col := range []string{"a_rid", "b_rid"} {
		if _, err := t.Exec(ctx, `DELETE FROM duplicate_pairs WHERE `+col+` = ?`, rid); err != nil {
			return fmt.Errorf("duplicate pairs: %w", err)
		}
	}
	return nil
}

func (t *Tx) insertPairs(ctx context.Context, pairs []store.ScoredPair) error {
	seen := map[[2]string]bool{} // one statement may not touch a row twice
	var args []any
	for _, p := range pairs {
		k := store.PairKey(p.A, p.B)
		if !seen[k] {
			seen[k] = true
			args = append(args, k[0], k[1], p.Score)
		}
	}
	for len(args) > 0 {
		n := 1 // statements of a few sizes (see writeNameKeys)
		for _, size := range []int{512, 64, 8} {
			if len(args)/3 >= size {
				n = size
				break
			}
		}
		if _, err := t.Exec(ctx, `INSERT INTO duplicate_pairs (a_rid, b_rid, score) VALUES `+
			RowsOf("((SELECT rid FROM incidents WHERE id = ?), (SELECT rid FROM incidents WHERE id = ?), ?)", n)+`
			ON CONFLICT (a_rid, b_rid) DO UPDATE SET score = excluded.score`, args[:3*n]...); err != nil {
			return fmt.Errorf("duplicate pairs: %w", err)
		}
		args = args[3*n:]
	}
	return nil
}

// ListDuplicatePairs implements store.Store: best first, both incidents
// visible to v and merged into none, less the pairs found to be two
// events; more tells whether there are more than limit.
func (s *DB) ListDuplicatePairs(ctx context.Context, v store.Visible, limit int) (pairs []store.ScoredPair, more bool, err error) {
	var w where
	w.visible("a", v)
	w.visible("b", v)
	w.add("a.merged_into = '' AND b.merged_into = ''")
	w.add(`NOT EXISTS (SELECT 1 FROM incident_pairs d WHERE d.decision = 'distinct'
		AND (d.a_id = a.id AND d.b_id = b.id OR d.a_id = b.id AND d.b_id = a.id))`)
	rows, err := pool{s}.Query(ctx, `SELECT a.id, b.id, p.score FROM duplicate_pairs p
		JOIN incidents a ON a.rid = p.a_rid JOIN incidents b ON b.rid = p.b_rid`+w.sql()+`
		ORDER BY p.score DESC, a.code, b.code LIMIT ?`, append(w.args, limit+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("duplicate pairs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p store.ScoredPair
		if err := rows.Scan(&p.A, &p.B, &p.Score); err != nil {
			return nil, false, fmt.Errorf("duplicate pairs: %w", err)
		}
		pairs = append(pairs, p)
	}
	if len(pairs) > limit {
		return pairs[:limit], true, rows.Err()
	}
	return pairs, false, rows.Err()
}
