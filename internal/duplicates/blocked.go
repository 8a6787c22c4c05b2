package duplicates

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/names"
	"github.com/rasd-project/rasd/internal/store"
)

// blockedAbove: a minimum above it finds every pair through the blocking
// keys (docs/duplicates.md, "Blocking"). Two incidents whose victims are
// named and share no name key have no victim alike (names.BlockKeys), so
// they reach at most 1 - wVictims, and only with the same type; an
// incident naming none scores its victims 0.5, so it reaches at most
// 1 - wVictims/2 - wType with another type. Above the larger of the two,
// every probable pair shares a victim's name key, or one of them names
// none, or they share the type: the keys the table holds.
const blockedAbove = 1 - wVictims/2 - wType

// maxBlocked bounds the rows of the blocking table one lookup reads.
const maxBlocked = 1000

// candidate is an incident the blocking table found, with what it says
// of it and the most its victims could score against the one looked up.
type candidate struct {
	b store.Blocked
	l lite
	v float64
}

// blocked lists the incidents of inc's governorate whose span overlaps
// [start, end] a day either side and that share a blocking key with it:
// a victim's name key or, for incidents naming no victim, "" (when inc
// names some), and its type. Two incidents whose victims are named and
// share no name key reach at most wDate*d + 1 - wDate - wVictims, above
// blockedAbove only for d = 1 (the same day, both dated to the day): so
// when inc names victims the type is asked only of the incidents whose
// span starts on inc's day, and only if inc's date is a day.
func blocked(ctx context.Context, st Reader, inc *model.Incident, start, end time.Time) ([]candidate, error) {
	sigs := names.Companions(victimNames(inc.Victims)...) // a key for each of names.BlockKeys
	named := len(sigs) > 0
	q := store.BlockQuery{Admin1: inc.Place.Admin1, Limit: maxBlocked,
		From: start.AddDate(0, 0, -1).Format(time.DateOnly), To: end.AddDate(0, 0, 1).Format(time.DateOnly)}
	switch {
	case !named:
		q.Keys = []string{store.TypeBlockKey(inc.Type)}
	case inc.Date.Precision == "day":
		q.DayKeys, q.Day = []string{store.TypeBlockKey(inc.Type)}, start.Format(time.DateOnly)
	}
	if named {
		// A name key is asked with the mask of the words beside it: a
		// victim alike shares another word with it, or a near one
		// (names.Companions); a key only of names of one word is never
		// asked, as such a name is never alike.
		q.Keys, q.Sigs = []string{""}, []int64{0}
		for _, k := range slices.Sorted(maps.Keys(sigs)) {
			if sigs[k] != 0 {
				q.Keys, q.Sigs = append(q.Keys, k), append(q.Sigs, sigs[k])
			}
		}
	}
	// A pair whose dates are not both days scores its date 0.6 at most,
	// and so reaches more than blockedAbove with other types only if
	// its places score 1: the same district, or within 5 km.
	q.Alike = &store.Alike{Type: inc.Type, District: inc.Place.District, Lat: inc.Place.Lat, Lon: inc.Place.Lon, Km: 5,
		Days: inc.Date.Precision == "day"}
	bs, err := st.BlockedIncidents(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]candidate, 0, len(bs))
	for _, b := range bs {
		s, e, ok := span(b.Date)
		if !ok {
			continue
		}
		out = append(out, candidate{b: b, l: lite{id: b.ID, typ: b.Type, date: b.Date, place: b.Place, start: s, end: e,
			perps: perpTypes(b.Perps), known: true}, v: victimBound(named, b.Keys)})
	}
	return out, nil
}

// perpTypes are perpetrators of types ts, what a score reads of them.
func perpTypes(ts []string) []model.Perpetrator {
	out := make([]model.Perpetrator, len(ts))
	for i, t := range ts {
		out[i].Type = t
	}
	return out
}

// scoreVictims keeps the candidates that keep says could still be a pair
// and sets their v to what their victims score against inc's, from their
// names read in one query.
func scoreVictims(ctx context.Context, st Reader, inc *model.Incident, cands []candidate, keep func(*candidate) bool) ([]candidate, error) {
	var ids []string
	kept := cands[:0]
	for i := range cands {
		if keep(&cands[i]) {
			kept = append(kept, cands[i])
			ids = append(ids, cands[i].b.ID)
		}
	}
	ns, err := st.VictimNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	own := tokensOf(victimNames(inc.Victims))
	for i := range kept {
		kept[i].v = victimShare(own, tokensOf(ns[kept[i].b.ID]))
	}
	return kept, nil
}

// victimBound is the most victims can score between an incident that
// names some (named) or none and one holding the blocking keys held of
// those asked: 0.5 when either names none, 1 when they share a name key,
// else 0.
func victimBound(named bool, held []string) float64 {
	if !named {
		return 0.5
	}
	v := 0.0
	for _, k := range held {
		switch {
		case k == "":
			return 0.5
		case k[0] != '#':
			v = 1
		}
	}
	return v
}

// tokensOf are names cut into tokens once, for victimShare.
func tokensOf(ns []string) [][]names.Token {
	out := make([][]names.Token, len(ns))
	for i, n := range ns {
		out[i] = names.Tokens(n)
	}
	return out
}

// victimShare is victimScore's number, of names already cut into tokens
// (tokensOf of victimNames), so that a pair's victims are scored before
// either incident is read.
func victimShare(a, b [][]names.Token) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0.5
	}
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	matched := 0
	for _, s := range short {
		for _, l := range long {
			if names.Compare(s, l).Score >= names.Similar {
				matched++
				break
			}
		}
	}
	return float64(matched) / float64(len(short))
}
