package sqlstore

import (
	"context"

	"github.com/rasd-project/rasd/internal/store"
)

// SearchIncidents implements store.Store. Results come most recently
// recorded first, which the index can return without sorting every match,
// each with its visibility and author, by which the caller filters them.
func (s *DB) SearchIncidents(ctx context.Context, query string, limit int) ([]store.IncidentHit, error) {
	terms, err := store.QueryTerms(query)
	if len(terms) == 0 {
		return nil, err
	}
	match, args := s.d.Match("incident", terms, limit)
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
