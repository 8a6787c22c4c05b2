package duplicates

import (
	"context"
	"sort"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// maxCandidates bounds the stored incidents of its type one incident is
// compared with on save, and maxOtherType those of other types: of its
// governorate, whose dates overlap a day either side, latest first.
const maxCandidates, maxOtherType = 50, 20

// Reader is what For needs of the store.
type Reader interface {
	ListIncidents(ctx context.Context, f store.IncidentFilter) ([]store.IncidentHit, int, error)
	BlockedIncidents(ctx context.Context, q store.BlockQuery) ([]store.Blocked, error)
	VictimNames(ctx context.Context, ids []string) (map[string][]string, error)
	GetIncident(ctx context.Context, id string) (*model.Incident, error)
	DistinctPairs(ctx context.Context, id string) (map[[2]string]bool, error)
}

// For lists the stored incidents that probably duplicate inc (saved or
// not), best first, scoring least or more: internal and public ones of
// its governorate whose dates overlap a day either side, other than inc
// itself, one merged into another, or one found to be another event
// (store.IncidentPairs). A restricted inc is compared with nothing, and
// no restricted incident is compared (docs/duplicates.md).
//
// Above blockedAbove (the default minimum is) the candidates are those
// sharing a blocking key with inc (blocked), and only those that could
// still reach least from what the blocking table says of them are read
// in full.
func For(ctx context.Context, st Reader, inc *model.Incident, least float64) ([]Pair, error) {
	if inc.Visibility == model.VisibilityRestricted || inc.MergedInto != "" || inc.Place.Admin1 == "" {
		return nil, nil
	}
	start, end, ok := span(inc.Date)
	if !ok {
		return nil, nil
	}
	if least <= blockedAbove {
		return forWindow(ctx, st, inc, least, start, end)
	}
	var distinct map[[2]string]bool
	if inc.ID != "" {
		var err error
		if distinct, err = st.DistinctPairs(ctx, inc.ID); err != nil {
			return nil, err
		}
	}
	self := lite{typ: inc.Type, date: inc.Date, place: inc.Place, perps: inc.Perpetrators, known: true, start: start, end: end}
	cands, err := blocked(ctx, st, inc, start, end)
	if err != nil {
		return nil, err
	}
	cands, err = scoreVictims(ctx, st, inc, cands, func(c *candidate) bool {
		return c.b.ID != inc.ID && !distinct[store.PairKey(inc.ID, c.b.ID)] && self.most(&c.l, c.v) >= least
	})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, c := range cands {
		if self.most(&c.l, c.v) >= least {
			ids = append(ids, c.b.ID)
		}
	}
	return scoreRead(ctx, st, inc, ids, least)
}

// scoreRead reads each incident of ids in full and keeps those that pair
// with inc at least least (never a merged or a restricted one), best
// first.
func scoreRead(ctx context.Context, st Reader, inc *model.Incident, ids []string, least float64) ([]Pair, error) {
	var out []Pair
	m := memo{}
	for _, id := range ids {
		other, err := st.GetIncident(ctx, id)
		if err != nil {
			return nil, err
		}
		if other.MergedInto != "" || other.Visibility == model.VisibilityRestricted {
			continue
		}
		if s, why := explain(inc, other, m, least); s >= least {
			out = append(out, Pair{A: inc.ID, B: other.ID, CodeA: inc.Code, CodeB: other.Code, Score: s, Reasons: English(why), Why: why})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out, nil
}

// forWindow is For below blockedAbove: every incident of the window read
// through the incidents' own indexes, the 50 latest of its type, then
// the 20 latest of any type, starting at most a year and a day before it.
func forWindow(ctx context.Context, st Reader, inc *model.Incident, least float64, start, end time.Time) ([]Pair, error) {
	open := store.Visible{Levels: []string{model.VisibilityInternal, model.VisibilityPublic}}
	f := store.IncidentFilter{Visible: open, Admin1: inc.Place.Admin1,
		From: start.AddDate(0, 0, -1).Format(time.DateOnly), To: end.AddDate(0, 0, 1).Format(time.DateOnly),
		StartFrom: start.AddDate(-1, 0, -1).Format(time.DateOnly), Limit: maxCandidates}
	// Those of its type first (index type, admin1, date_start), then the
	// latest of any type: in a busy governorate a window holds more
	// incidents than are read, and a duplicate is rarely of another type.
	same := f
	same.Types = []string{inc.Type}
	hits, _, err := st.ListIncidents(ctx, same)
	if err != nil {
		return nil, err
	}
	f.Limit = maxOtherType
	others, _, err := st.ListIncidents(ctx, f)
	if err != nil {
		return nil, err
	}
	for _, h := range others {
		if h.Type != inc.Type {
			hits = append(hits, h)
		}
	}
	var distinct map[[2]string]bool
	if inc.ID != "" {
		if distinct, err = st.DistinctPairs(ctx, inc.ID); err != nil {
			return nil, err
		}
	}
	self := store.IncidentHit{DateStart: inc.Date.Start, Precision: inc.Date.Precision, Type: inc.Type}
	var ids []string
	for _, h := range hits {
		if h.ID != inc.ID && !distinct[store.PairKey(inc.ID, h.ID)] && upper(self, h) >= least {
			ids = append(ids, h.ID)
		}
	}
	return scoreRead(ctx, st, inc, ids, least)
}
