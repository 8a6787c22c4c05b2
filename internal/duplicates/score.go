// Package duplicates finds incidents that are probably one event recorded
// twice (docs/duplicates.md): each pair is scored from the overlap of its
// dates (respecting their precision), its places, types, victims' names
// (package names), perpetrators and texts, with the reasons of the score.
package duplicates

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/names"
	"github.com/rasd-project/rasd/internal/searchtext"
)

// Weights of the parts of a score; they sum to 1.
const (
	wDate    = 0.25
	wPlace   = 0.20
	wType    = 0.15
	wVictims = 0.25
	wPerp    = 0.05
	wText    = 0.10
)

// DefaultMin is the score from which a pair is listed as probable.
const DefaultMin = 0.75

// A Pair is two incidents and how probably they are one event.
type Pair struct {
	A, B    string // incident IDs
	CodeA   string
	CodeB   string
	Score   float64
	Reasons []string // in English (the command line)
	Why     []Reason // the same, for a translation
}

// Score compares two incidents. A pair whose dates cannot overlap, even a
// day apart, or whose places are in different governorates far apart,
// scores 0: they are two events whatever else they share.
func Score(a, b *model.Incident) (float64, []string) {
	s, why := Explain(a, b)
	return s, English(why)
}

// Explain is Score with its reasons as keys and arguments, for a
// translation (the web's review).
func Explain(a, b *model.Incident) (float64, []Reason) {
	return explain(a, b, nil, 0)
}

// memo keeps each incident's indexed words while many pairs are scored
// (Find, For): they are most of a score's cost.
type memo map[*model.Incident]map[string]bool

func (m memo) words(inc *model.Incident) map[string]bool {
	if m == nil {
		return words(inc)
	}
	w, ok := m[inc]
	if !ok {
		w = words(inc)
		m[inc] = w
	}
	return w
}

// explain is Explain, with m's words; a pair that cannot reach least
// even with its victims and texts alike is left there, its score a
// lower one (0 for no least).
func explain(a, b *model.Incident, m memo, least float64) (float64, []Reason) {
	var reasons []Reason
	d, why := dateScore(a.Date, b.Date)
	if d == 0 {
		return 0, []Reason{why}
	}
	reasons = append(reasons, why)
	p, why := placeScore(a.Place, b.Place)
	if p == 0 {
		return 0, []Reason{why}
	}
	reasons = append(reasons, why)
	t := 0.0
	if a.Type == b.Type {
		t = 1
		reasons = append(reasons, Reason{"same_type", []string{a.Type}})
	} else {
		reasons = append(reasons, Reason{"types_differ", []string{a.Type, b.Type}})
	}
	pe, whyPerp := perpScore(a.Perpetrators, b.Perpetrators)
	partial := wDate*d + wPlace*p + wType*t + wPerp*pe
	if partial+wVictims+wText < least {
		return partial, append(reasons, whyPerp)
	}
	v, why := victimScore(a.Victims, b.Victims)
	reasons = append(reasons, why, whyPerp)
	if partial+wVictims*v+wText < least {
		return partial + wVictims*v, reasons // the texts cannot make it a pair
	}
	tx := textScore(a, b, m)
	reasons = append(reasons, Reason{"texts_alike", []string{fmt.Sprintf("%.0f", 100*tx)}})
	return partial + wVictims*v + wText*tx, reasons
}

// span is the days a date covers, by its precision (model.Date.Span).
func span(d model.Date) (time.Time, time.Time, bool) { return d.Span() }

// dateScore: 1 for the same day, 0.8 a day apart (reports often date an
// event by the day it was reported), 0.6 for spans that overlap at a
// coarser precision, 0 otherwise.
func dateScore(a, b model.Date) (float64, Reason) {
	as, ae, ok1 := span(a)
	bs, be, ok2 := span(b)
	if !ok1 || !ok2 {
		return 0, Reason{Key: "date_missing"}
	}
	switch daysScore(a, b, as, ae, bs, be) {
	case 1:
		return 1, Reason{Key: "same_day"}
	case 0.8:
		return 0.8, Reason{Key: "day_apart"}
	case 0.6:
		return 0.6, Reason{"dates_overlap", []string{a.Precision, b.Precision}}
	case 0.5:
		return 0.5, Reason{Key: "dates_day_apart"}
	}
	gap := max(bs.Sub(ae), as.Sub(be)) / (24 * time.Hour)
	return 0, Reason{"dates_apart", []string{fmt.Sprint(int(gap))}}
}

// daysScore is dateScore's number, of the dates' spans.
func daysScore(a, b model.Date, as, ae, bs, be time.Time) float64 {
	exact := a.Precision == "day" && b.Precision == "day"
	gap := max(bs.Sub(ae), as.Sub(be)) / (24 * time.Hour)
	switch {
	case exact && a.Start == b.Start:
		return 1
	case gap <= 1 && exact:
		return 0.8
	case gap <= 0:
		return 0.6
	case gap <= 1:
		return 0.5
	}
	return 0
}

// placeScore: the same district, or coordinates within 5 km, 1; the same
// governorate with the district of one unknown 0.85; within 25 km 0.7;
// the same governorate, other districts, 0.3; else 0.
func placeScore(a, b model.Place) (float64, Reason) {
	p, key, km := place(a, b)
	switch {
	case key != "km_apart":
		return p, Reason{Key: key}
	case p == 1:
		return p, Reason{key, []string{fmt.Sprintf("%.1f", km)}}
	}
	return p, Reason{key, []string{fmt.Sprintf("%.0f", km)}}
}

// place is placeScore's number and reason's key, and the distance for
// km_apart: what Find's bound reads, with nothing formatted.
func place(a, b model.Place) (float64, string, float64) {
	if a.Lat != nil && a.Lon != nil && b.Lat != nil && b.Lon != nil {
		km := distanceKm(*a.Lat, *a.Lon, *b.Lat, *b.Lon)
		switch {
		case km <= 5:
			return 1, "km_apart", km
		case km <= 25:
			return 0.7, "km_apart", km
		}
	}
	switch {
	case a.District != "" && a.District == b.District:
		return 1, "same_district", 0
	case a.Admin1 == "" || a.Admin1 != b.Admin1:
		return 0, "other_governorates", 0
	case a.District == "" || b.District == "":
		return 0.85, "district_in_one", 0
	}
	return 0.3, "other_districts", 0
}

func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := (lat2-lat1)*math.Pi/180, (lon2-lon1)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

// victimScore: the share of the fewer victims matched by name
// (names.Similarity); 0.5, no evidence either way, when either incident
// names none. Restricted persons' names are sealed: not compared.
func victimScore(a, b []model.Victim) (float64, Reason) {
	na, nb := victimNames(a), victimNames(b)
	if len(na) == 0 || len(nb) == 0 {
		return 0.5, Reason{Key: "victims_unnamed"}
	}
	short, long := na, nb
	if len(short) > len(long) {
		short, long = long, short
	}
	matched := 0
	best := ""
	for _, s := range short {
		for _, l := range long {
			if m := names.Similarity(s, l); m.Score >= names.Similar {
				matched++
				if best == "" {
					best = s + " ~ " + l
				}
				break
			}
		}
	}
	if matched == 0 {
		return 0, Reason{Key: "no_victim_alike"}
	}
	return float64(matched) / float64(len(short)), Reason{"victims_alike", []string{fmt.Sprint(matched), fmt.Sprint(len(short)), best}}
}

func victimNames(vs []model.Victim) []string {
	var out []string
	for _, v := range vs {
		if n := v.Person.ComparedName(); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// perpScore: 1 when they share a perpetrator type, 0.5 when either has
// none, else 0.
func perpScore(a, b []model.Perpetrator) (float64, Reason) {
	if len(a) == 0 || len(b) == 0 {
		return 0.5, Reason{Key: "perpetrators_unknown"}
	}
	for _, x := range a {
		for _, y := range b {
			if x.Type == y.Type {
				return 1, Reason{"same_perpetrator", []string{x.Type}}
			}
		}
	}
	return 0, Reason{Key: "perpetrators_differ"}
}

// textScore is the Jaccard similarity of the incidents' summary and
// narrative words, as indexed (stems, name keys), in the language both
// are written in; 0.5, no evidence, when they share none (one report in
// Arabic, the other in English).
func textScore(a, b *model.Incident, m memo) float64 {
	en := a.SummaryEN+a.NarrativeEN != "" && b.SummaryEN+b.NarrativeEN != ""
	ar := a.SummaryAR+a.NarrativeAR != "" && b.SummaryAR+b.NarrativeAR != ""
	if !en && !ar {
		return 0.5
	}
	wa, wb := m.words(a), m.words(b)
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	inter := 0
	for w := range wa {
		if wb[w] {
			inter++
		}
	}
	return float64(inter) / float64(len(wa)+len(wb)-inter)
}

func words(inc *model.Incident) map[string]bool {
	var x searchtext.Index
	x.Name(inc.SummaryEN + " \n" + inc.SummaryAR + " \n" + inc.NarrativeEN + " \n" + inc.NarrativeAR)
	out := map[string]bool{}
	for _, w := range strings.Fields(x.String()) {
		if len(w) > 2 {
			out[w] = true
		}
	}
	return out
}
