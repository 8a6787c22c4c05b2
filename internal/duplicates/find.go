package duplicates

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// ErrMinScore: a minimum score outside 0–1.
var ErrMinScore = errors.New("the minimum score is a number from 0 to 1, such as 0.75")

// maxCompared bounds the incidents one incident is compared with: an
// incident of year precision overlaps a whole year of its governorate.
const maxCompared = 200

// Find lists the pairs of incidents scoring min or more, best first,
// among the incidents. Restricted incidents are never
// compared: only internal and public ones are read,
// so no score reveals one (docs/duplicates.md).
func Find(ctx context.Context, st store.Store, min float64) ([]Pair, error) {
	if min < 0 || min > 1 || min != min {
		return nil, ErrMinScore
	}
	open := store.Visible{Levels: []string{model.VisibilityInternal, model.VisibilityPublic}}
	// One pass over the incidents in date order, keeping what a list
	// shows of each: a million take one query, not a thousand pages.
	byAdmin1 := map[string][]store.IncidentHit{}
	err := st.EachIncident(ctx, store.IncidentFilter{Visible: open, Sort: "date", Asc: true}, func(inc *model.Incident) error {
		if inc.MergedInto == "" && inc.Visibility != model.VisibilityRestricted {
			byAdmin1[inc.Place.Admin1] = append(byAdmin1[inc.Place.Admin1], store.IncidentHit{ID: inc.ID, Code: inc.Code,
				Type: inc.Type, DateStart: inc.Date.Start, Precision: inc.Date.Precision, Admin1: inc.Place.Admin1})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	distinct, err := st.DistinctPairs(ctx, "") // found to be two events: never proposed again
	if err != nil {
		return nil, err
	}
	loaded, m := map[string]*model.Incident{}, memo{}
	get := func(id string) (*model.Incident, error) {
		if inc, ok := loaded[id]; ok {
			return inc, nil
		}
		inc, err := st.GetIncident(ctx, id)
		if err != nil {
			return nil, err
		}
		if len(loaded) > 20000 {
			clear(loaded)
			clear(m)
		}
		loaded[id] = inc
		return inc, nil
	}
	var out []Pair
	for _, hits := range byAdmin1 {
		for i, a := range hits {
			_, aEnd, ok := span(model.Date{Start: a.DateStart, Precision: a.Precision})
			if !ok {
				continue
			}
			for j := i + 1; j < len(hits) && j <= i+maxCompared; j++ {
				b := hits[j]
				bStart, _, ok := span(model.Date{Start: b.DateStart, Precision: b.Precision})
				if !ok {
					continue
				}
				if bStart.Sub(aEnd) > 24*time.Hour {
					break // sorted by date: no later one overlaps either
				}
				if upper(a, b) < min || distinct[store.PairKey(a.ID, b.ID)] {
					continue
				}
				ia, err := get(a.ID)
				if err != nil {
					return nil, err
				}
				ib, err := get(b.ID)
				if err != nil {
					return nil, err
				}
				if ia.MergedInto != "" || ib.MergedInto != "" || ia.Visibility == model.VisibilityRestricted || ib.Visibility == model.VisibilityRestricted {
					continue
				}
				if s, why := explain(ia, ib, m, min); s >= min {
					out = append(out, Pair{A: ia.ID, B: ib.ID, CodeA: ia.Code, CodeB: ib.Code, Score: s, Reasons: English(why), Why: why})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].CodeA+out[i].CodeB < out[j].CodeA+out[j].CodeB
	})
	return out, nil
}

// upper is the most two incidents could score from what a list shows of
// them: their victims, perpetrators and texts counted as alike.
func upper(a, b store.IncidentHit) float64 {
	d, _ := dateScore(model.Date{Start: a.DateStart, Precision: a.Precision}, model.Date{Start: b.DateStart, Precision: b.Precision})
	t := 0.0
	if a.Type == b.Type {
		t = 1
	}
	return wDate*d + wPlace + wType*t + wVictims + wPerp + wText
}

// Format writes a pair as one line of text.
func (p Pair) String() string {
	return fmt.Sprintf("%s ~ %s  %.2f  %v", p.CodeA, p.CodeB, p.Score, p.Reasons)
}
