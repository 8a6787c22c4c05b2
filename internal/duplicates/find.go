package duplicates

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/names"
	"github.com/rasd-project/rasd/internal/store"
)

// ErrMinScore: a minimum score outside 0–1.
var ErrMinScore = errors.New("the minimum score is a number from 0 to 1, such as 0.75")

// maxCompared bounds the incidents one incident is compared with: an
// incident of year precision overlaps a whole year of its governorate.
const maxCompared = 200

// Find lists the pairs of incidents scoring least or more, best first,
// among the incidents. Restricted incidents are never
// compared: only internal and public ones are read,
// so no score reveals one (docs/duplicates.md).
func Find(ctx context.Context, st store.Store, least float64) ([]Pair, error) {
	if least < 0 || least > 1 || least != least {
		return nil, ErrMinScore
	}
	// One pass over the incidents as the blocking table holds them (what
	// scores their date, place, type and perpetrators) with their victims'
	// compared names, no incident row read: only pairs that could reach
	// least with their texts alike are read in full. Each distinct name is
	// cut into tokens once, its tokens shared by every victim of that name.
	tokens := map[string][]names.Token{}
	byAdmin1 := map[string][]lite{}
	err := st.EachBlocked(ctx, func(b *store.Blocked, victims []string) error {
		start, end, ok := span(b.Date)
		if !ok {
			return nil
		}
		l := lite{id: b.ID, typ: b.Type, date: b.Date, place: b.Place, start: start, end: end, known: true,
			perps: perpTypes(b.Perps)}
		if len(victims) > 0 {
			l.victims = make([][]names.Token, len(victims))
			for i, n := range victims {
				t, ok := tokens[n]
				if !ok {
					t = names.Tokens(n)
					tokens[n] = t
				}
				l.victims[i] = t
			}
		}
		byAdmin1[b.Place.Admin1] = append(byAdmin1[b.Place.Admin1], l)
		return nil
	})
	if err != nil {
		return nil, err
	}
	clear(tokens)
	// By the start of their spans (then as stored: by their first day, in
	// the order they were stored), so that no later one overlaps an
	// incident once one starts more than a day after it ends.
	for _, ls := range byAdmin1 {
		slices.SortStableFunc(ls, func(a, b lite) int {
			if c := a.start.Compare(b.start); c != 0 {
				return c
			}
			return strings.Compare(a.date.Start, b.date.Start)
		})
	}
	distinct, err := st.DistinctPairs(ctx, "") // found to be two events: never proposed again
	if err != nil {
		return nil, err
	}
	// The pairs of each stretch of a governorate's incidents are found
	// apart, as many stretches at once as there are processors: most of
	// the time left is reading the pairs that could still reach least and
	// scoring their texts.
	type stretch struct {
		ls   []lite
		i, j int
	}
	var work []stretch
	for _, ls := range byAdmin1 {
		for i := 0; i < len(ls); i += findStretch {
			work = append(work, stretch{ls, i, min(i+findStretch, len(ls))})
		}
	}
	var (
		mu    sync.Mutex
		out   []Pair
		first error
		next  atomic.Int64
		wg    sync.WaitGroup
	)
	workers := min(runtime.GOMAXPROCS(0), len(work))
	for range workers {
		wg.Go(func() {
			f := finder{st: st, least: least, distinct: distinct, loaded: map[string]*model.Incident{}, most: findLoaded / workers, m: memo{}}
			for {
				k := int(next.Add(1)) - 1
				if k >= len(work) {
					return
				}
				w := work[k]
				ps, err := f.pairs(ctx, w.ls, w.i, w.j)
				mu.Lock()
				out = append(out, ps...)
				if err != nil && first == nil {
					first = err
					next.Store(int64(len(work))) // the others stop at their next stretch
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].CodeA+out[i].CodeB < out[j].CodeA+out[j].CodeB
	})
	return out, nil
}

// findStretch is how many incidents' pairs one of Find's workers finds
// at a time, and findLoaded how many incidents read in full its workers
// keep in all.
const findStretch, findLoaded = 2000, 20000

// finder finds the pairs of some incidents, with its own cache of those
// read in full.
type finder struct {
	st       store.Store
	least    float64
	distinct map[[2]string]bool
	loaded   map[string]*model.Incident
	most     int // incidents loaded kept
	m        memo
}

// pairs are the pairs scoring f.least or more of ls[i:j] with the later
// incidents of ls (sorted by the start of their spans).
func (f *finder) pairs(ctx context.Context, ls []lite, i, j int) ([]Pair, error) {
	var out []Pair
	for ; i < j; i++ {
		a := &ls[i]
		for k := i + 1; k < len(ls) && k <= i+maxCompared; k++ {
			b := &ls[k]
			if b.start.Sub(a.end) > 24*time.Hour {
				break // sorted by date: no later one overlaps either
			}
			if a.most(b, 1) < f.least || a.most(b, victimShare(a.victims, b.victims)) < f.least || f.distinct[store.PairKey(a.id, b.id)] {
				continue
			}
			ia, err := f.get(ctx, a.id)
			if err != nil {
				return nil, err
			}
			ib, err := f.get(ctx, b.id)
			if err != nil {
				return nil, err
			}
			if ia.MergedInto != "" || ib.MergedInto != "" || ia.Visibility == model.VisibilityRestricted || ib.Visibility == model.VisibilityRestricted {
				continue
			}
			if s, why := explain(ia, ib, f.m, f.least); s >= f.least {
				out = append(out, Pair{A: ia.ID, B: ib.ID, CodeA: ia.Code, CodeB: ib.Code, Score: s, Reasons: English(why), Why: why})
			}
		}
	}
	return out, nil
}

// get reads an incident in full, or takes it from the worker's cache:
// findLoaded in all, shared out among the workers (a stretch's pairs
// reach at most maxCompared incidents past it).
func (f *finder) get(ctx context.Context, id string) (*model.Incident, error) {
	if inc, ok := f.loaded[id]; ok {
		return inc, nil
	}
	inc, err := f.st.GetIncident(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(f.loaded) > f.most {
		clear(f.loaded)
		clear(f.m)
	}
	f.loaded[id] = inc
	return inc, nil
}

// lite is what Find keeps of an incident while it pairs them, and what
// the blocking table says of a candidate.
type lite struct {
	id, typ    string
	date       model.Date
	place      model.Place
	perps      []model.Perpetrator // types only
	known      bool                // perps were read (a candidate's are not)
	start, end time.Time           // span(date)
	victims    [][]names.Token     // victims' compared names (Find's)
}

// most is the most two incidents could score with their victims scoring
// v at most and their texts alike.
func (a *lite) most(b *lite, v float64) float64 {
	t := 0.0
	if a.typ == b.typ {
		t = 1
	}
	d := spanScore(a, b)
	if d == 0 {
		return 0
	}
	p, _, _ := place(a.place, b.place)
	if p == 0 {
		return 0
	}
	pe := 1.0
	if a.known && b.known {
		pe, _ = perpScore(a.perps, b.perps)
	}
	return wDate*d + wPlace*p + wType*t + wPerp*pe + wVictims*v + wText
}

// spanScore is dateScore of two incidents whose spans are parsed.
func spanScore(a, b *lite) float64 {
	return daysScore(a.date, b.date, a.start, a.end, b.start, b.end)
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
