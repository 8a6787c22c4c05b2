package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/rasd-project/rasd/internal/searchtext"
	"github.com/rasd-project/rasd/internal/store"
)

// NewestMatcher is implemented by a Dialect whose text index cannot return
// matches newest first (PostgreSQL's GIN). Its one query per search is
// planned badly for a rare word (BENCHMARKS.md, "PostgreSQL search"), so
// the dialect first asks the database a question of its own.
type NewestMatcher interface {
	// MatchNewest is Match with a limit (> 0), given db to ask first.
	MatchNewest(ctx context.Context, db *sql.DB, table string, terms []searchtext.Term, limit int) (query string, args []any, err error)
}

// match returns a query yielding the rids of table's rows matching terms,
// at most limit of them, highest first, to be joined as m (m.rid).
func (s *DB) match(ctx context.Context, table string, terms []searchtext.Term, limit int) (string, []any, error) {
	nm := s.caps.NewestMatcher
	if nm == nil || limit <= 0 {
		q, args := s.d.Match(table, terms, limit)
		return q, args, nil
	}
	return nm.MatchNewest(ctx, s.db, table, terms, limit)
}

// RowIDs is a query yielding rids, as many as there are placeholders for
// (Args gives their arguments): a NewestMatcher's answer found at once.
func RowIDs(rids []int64) string {
	if len(rids) == 0 {
		return `SELECT CAST(0 AS BIGINT) AS rid WHERE 1 = 0`
	}
	return `SELECT column1 AS rid FROM (VALUES (CAST(? AS BIGINT))` + strings.Repeat(", (CAST(? AS BIGINT))", len(rids)-1) + `) v`
}

// Args are rids as arguments of a query.
func Args(rids []int64) []any {
	args := make([]any, len(rids))
	for i, r := range rids {
		args[i] = r
	}
	return args
}

// SearchIncidents implements store.Store. Results come most recently
// recorded first, which the index can return without sorting every match,
// each with its visibility and author, by which the caller filters them.
func (s *DB) SearchIncidents(ctx context.Context, query string, limit int) ([]store.IncidentHit, error) {
	terms, err := store.QueryTerms(query)
	if len(terms) == 0 {
		return nil, err
	}
	match, args, err := s.match(ctx, "incident", terms, limit)
	if err != nil {
		return nil, err
	}
	rows, err := pool{s}.Query(ctx, `SELECT i.id, i.code, i.type, i.date_start, i.date_precision, i.admin1,
		i.summary_en, i.summary_ar, i.visibility, i.created_by FROM incidents i JOIN (`+match+`) m ON m.rid = i.rid ORDER BY i.rid DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.IncidentHit
	for rows.Next() {
		var h store.IncidentHit
		if err := rows.Scan(&h.ID, &h.Code, &h.Type, &h.DateStart, &h.Precision, &h.Admin1, &h.SummaryEN, &h.SummaryAR, &h.Visibility, &h.CreatedBy); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
