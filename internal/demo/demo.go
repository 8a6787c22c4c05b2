// Package demo generates a deterministic, clearly fictional but realistic
// sample of incidents for `rasd demo` and the benchmarks. Every name is
// invented from lists of common names, every armed group is "Fictional
// Armed Group N", and every incident is tagged "demo" and "fictional".
// Incidents are produced one at a time so a million can be streamed
// without holding them in memory.
package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/rasd-project/rasd/internal/model"
)

// Options controls the generated sample.
type Options struct {
	Incidents int       // how many to generate
	Seed      int64     // same seed and options, same sample
	From, To  time.Time // date range; zero means 2019-10-01 .. 2026-10-31
	// Twice, if above 0, writes every Twice-th incident a second time,
	// right after it, as another source would report it (SecondReport);
	// the second reports count among Incidents.
	Twice int
}

// Generator yields incidents one at a time. It is not safe for concurrent
// use; give each goroutine its own.
type Generator struct {
	n, i     int
	from, to int // days since 1970-01-01, inclusive
	r        *rand.Rand
	buf      []byte // scratch for building strings; reused
	// Drawn per incident and read back by the text builders.
	roles  [3]int
	group  [2]int          // fictional group number per perpetrator, 0 for none
	modus  int             // index in modi, -1 for none
	twice  int             // Options.Twice
	second *model.Incident // the second report of the incident just made
}

// New returns a generator for opts.
func New(opts Options) *Generator {
	from, to := daysFromCivil(2019, 10, 1), daysFromCivil(2026, 10, 31)
	if !opts.From.IsZero() {
		from = dayOf(opts.From)
	}
	if !opts.To.IsZero() {
		to = dayOf(opts.To)
	}
	to = max(to, from)
	return &Generator{
		n: max(opts.Incidents, 0), from: from, to: to, twice: opts.Twice,
		// The second PCG word is fixed so that Seed alone decides the stream.
		r:   rand.New(rand.NewPCG(uint64(opts.Seed), 0x5241534420444d4f)),
		buf: make([]byte, 0, 1024),
	}
}

// Incidents returns all of them (for small samples).
func Incidents(opts Options) []model.Incident {
	g := New(opts)
	out := make([]model.Incident, 0, g.n)
	for inc, ok := g.Next(); ok; inc, ok = g.Next() {
		out = append(out, inc)
	}
	return out
}

// Next returns the next incident, or false when all have been generated.
// ID, Code and Meta are left empty for the store to assign.
func (g *Generator) Next() (model.Incident, bool) {
	if g.i >= g.n {
		return model.Incident{}, false
	}
	i := g.i
	g.i++
	if c := g.second; c != nil {
		g.second = nil
		return *c, true
	}
	r := g.r
	// The first incidents cycle through every type, governorate and date
	// precision, so any sample of 18 or more shows all of them (a coarse
	// precision only if a whole week, month or year fits in the range).
	ti, gi, pi := tab.typeP.index(r), tab.govP.index(r), -1
	if i < len(tab.types) {
		ti = i
	}
	if i < len(tab.govs) {
		gi = i
	}
	if i < len(precisions) {
		pi = i
	}
	k, gv := &tab.types[ti], &tab.govs[gi]

	inc := model.Incident{Type: k.code}
	var start, end int
	inc.Date, start, end = g.date(pi)
	placeEN, placeAR := g.place(&inc.Place, gv)
	inc.Perpetrators = g.perpetrators(k)
	inc.Verification = tab.verifP.pick(r)
	inc.MotiveLink = tab.motiveP.pick(r)
	inc.Visibility = tab.visP.pick(r)
	inc.Consent = inc.Visibility == model.VisibilityPublic && r.IntN(100) < 60

	tags, nt := [4]string{"demo", "fictional"}, 2
	if start >= peakLo && end <= peakHi {
		tags[nt], nt = "tishreen", nt+1
	}
	if g.modus >= 0 && modi[g.modus].tag != "" {
		tags[nt], nt = modi[g.modus].tag, nt+1
	}
	nv := tab.victimsP.index(r) + 1
	strs := make([]string, nt+nv) // tags and every victim's role in one allocation
	inc.Tags = strs[:copy(strs, tags[:nt]):nt]
	y, _, _ := civilFromDays(start)
	inc.Victims = g.victims(k, gv, &inc, strs[nt:], y)
	for _, v := range inc.Victims {
		if v.Outcome == "killed" {
			inc.Fatalities++
		}
	}
	inc.SummaryEN, inc.SummaryAR = g.summaries(k, inc.Victims, placeEN, placeAR)
	if r.IntN(100) < 30 {
		inc.NarrativeEN, inc.NarrativeAR = g.narratives(k, &inc, gv, start, placeEN, placeAR)
	}
	if g.twice > 0 && i%g.twice == 0 {
		g.second = g.reportAgain(inc, i)
	}
	return inc, true
}

// place fills p and returns the place's name for the summaries.
func (g *Generator) place(p *model.Place, gv *gov) (en, ar string) {
	p.Country, p.Admin1 = "IQ", gv.Code
	p.GeoPrecision = tab.geoP.pick(g.r)
	lat, lon, en, ar := gv.Lat, gv.Lon, gv.EN, gv.AR
	jitter := 0.02
	if p.GeoPrecision != "governorate" && len(gv.districts) > 0 {
		d := &gv.districts[g.r.IntN(len(gv.districts))]
		p.District = d.Code
		lat, lon, en, ar = d.Lat, d.Lon, d.EN, d.AR
		switch p.GeoPrecision {
		case "near":
			jitter = 0.05
		case "district":
			jitter = 0.01
		}
	}
	c := new([2]float64) // one allocation for both coordinates
	c[0] = math.Round((lat+(g.r.Float64()*2-1)*jitter)*1e4) / 1e4
	c[1] = math.Round((lon+(g.r.Float64()*2-1)*jitter)*1e4) / 1e4
	p.Lat, p.Lon = &c[0], &c[1]
	return en, ar
}

func (g *Generator) perpetrators(k *kindT) []model.Perpetrator {
	r := g.r
	n := 1
	if r.IntN(100) < 12 {
		n = 2
	}
	out := make([]model.Perpetrator, n)
	g.group, g.modus = [2]int{}, -1
	for j := range out {
		p := &out[j]
		p.Type = k.perps.pick(r)
		if names := tab.groups[p.Type]; names != nil && r.IntN(100) < 40 {
			g.group[j] = 1 + r.IntN(len(names))
			p.Group = names[g.group[j]-1]
		}
	}
	if len(k.modi) > 0 && r.IntN(100) < 45 {
		g.modus = k.modi[r.IntN(len(k.modi))]
		// Documenters write in either language; the field keeps one.
		if out[0].ModusOperandi = modi[g.modus].en; r.IntN(2) == 0 {
			out[0].ModusOperandi = modi[g.modus].ar
		}
	}
	return out
}
