package duplicates

import (
	"context"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// MaxImportChecked bounds the incidents of one import compared with the
// stored ones for its summary, and maxLoaded the stored incidents read in
// full for it, so that the summary of a large import takes seconds, not
// minutes: `rasd duplicates` compares them all.
const (
	MaxImportChecked = 1000
	maxLoaded        = 3000
	perIncident      = 20
)

// Against counts the incidents of incs (as read from an import) that
// probably duplicate an incident stored before: one of their governorate
// whose dates overlap a day either side, scoring least or more, other than
// the incident the import made of it (the same external id, or the same
// date, place, type and summaries). Restricted incidents are neither
// checked nor compared.
//
// Each pair is the import's incident (A, as stored: its ID and code when
// the import stored it) and the best-scoring stored one (B).
// complete is false when the bounds stopped it: the pairs are then a
// lower bound.
func Against(ctx context.Context, st store.Store, incs []model.Incident, least float64) (pairs []Pair, complete bool, err error) {
	loaded, m := 0, memo{}
	complete = len(incs) <= MaxImportChecked
	for i := range incs[:min(len(incs), MaxImportChecked)] {
		inc := &incs[i]
		if inc.Visibility == model.VisibilityRestricted {
			continue
		}
		start, end, ok := span(inc.Date)
		if !ok {
			continue
		}
		cands, err := againstCandidates(ctx, st, inc, least, start, end)
		if err != nil {
			return nil, false, err
		}
		var best *Pair
		var self *model.Incident
		for _, h := range cands {
			if loaded++; loaded > maxLoaded {
				return pairs, false, nil
			}
			other, err := st.GetIncident(ctx, h)
			if err != nil {
				return nil, false, err
			}
			if itself(inc, other) {
				self = other
				continue
			}
			if other.MergedInto != "" {
				continue
			}
			if s, why := explain(inc, other, m, least); s >= least && (best == nil || s > best.Score) {
				best = &Pair{B: other.ID, CodeB: other.Code, Score: s, Reasons: English(why), Why: why}
			}
		}
		if best != nil {
			if self != nil {
				best.A, best.CodeA = self.ID, self.Code
			}
			pairs = append(pairs, *best)
		}
	}
	return pairs, complete, nil
}

// itself tells whether stored is the incident an import made of inc.
func itself(inc, stored *model.Incident) bool {
	if inc.External != nil && stored.External != nil {
		return inc.External.System == stored.External.System && inc.External.ID == stored.External.ID
	}
	return inc.Date.Start == stored.Date.Start && inc.Type == stored.Type && inc.Place.Admin1 == stored.Place.Admin1 &&
		inc.SummaryEN == stored.SummaryEN && inc.SummaryAR == stored.SummaryAR
}

// againstCandidates are the IDs of the stored incidents Against reads in
// full for inc: above blockedAbove those sharing a blocking key with it
// that could reach least (one indexed lookup, nothing counted), else the
// first perIncident of its window.
func againstCandidates(ctx context.Context, st store.Store, inc *model.Incident, least float64, start, end time.Time) ([]string, error) {
	var ids []string
	if least > blockedAbove {
		cands, err := blocked(ctx, st, inc, start, end)
		if err != nil {
			return nil, err
		}
		self := lite{typ: inc.Type, date: inc.Date, place: inc.Place, perps: inc.Perpetrators, known: true, start: start, end: end}
		cands, err = scoreVictims(ctx, st, inc, cands, func(c *candidate) bool { return self.most(&c.l, c.v) >= least })
		if err != nil {
			return nil, err
		}
		for _, c := range cands {
			// The import's own incident is among them (its victims alike):
			// Against tells it apart once read.
			if self.most(&c.l, c.v) >= least {
				ids = append(ids, c.b.ID)
			}
		}
		return ids, nil
	}
	open := store.Visible{Levels: []string{model.VisibilityInternal, model.VisibilityPublic}}
	hits, _, err := st.ListIncidents(ctx, store.IncidentFilter{Visible: open, Admin1: inc.Place.Admin1,
		From: start.AddDate(0, 0, -1).Format(time.DateOnly), To: end.AddDate(0, 0, 1).Format(time.DateOnly),
		StartFrom: start.AddDate(-1, 0, -1).Format(time.DateOnly), Limit: perIncident})
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		if upper(store.IncidentHit{DateStart: inc.Date.Start, Precision: inc.Date.Precision, Type: inc.Type}, h) >= least {
			ids = append(ids, h.ID)
		}
	}
	return ids, nil
}
