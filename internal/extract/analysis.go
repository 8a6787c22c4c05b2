package extract

import (
	"sort"
	"strings"
	"time"
)

// sent is a sentence with what was found in it.
type sent struct {
	idx     int
	text    string
	toks    []token
	dates   []dateHit
	places  []placeHit
	victims []victimHit
	types   []hit
	claim   bool // counts someone published: no incidents from it
	account bool // a promise or committee: incidents only named again
	list    bool
}

type victimHit struct {
	Victim
	at int // token index of the name
}

type analysis struct {
	r         *rules
	sents     []*sent
	pubSent   int // sentence and token of the publication date, if found in the text
	pubFrom   int
	pubMarked bool
}

func newAnalysis(r *rules, text string) *analysis {
	a := &analysis{r: r, pubSent: -1}
	for i, s := range splitSentences(r, text) {
		toks := tokenize(r.lang, s)
		for k := range toks {
			toks[k].num, toks[k].isNum = r.number(toks[k])
			toks[k].numKnown = true
		}
		a.sents = append(a.sents, &sent{idx: i, text: s, toks: toks})
	}
	return a
}

// findPublished looks for the publication date in the first sentences: a
// full date after a marker ("Published"), or at the head of the dateline.
func (a *analysis) findPublished(today time.Time) (time.Time, bool) {
	for _, s := range a.sents[:min(3, len(a.sents))] {
		var prev time.Time
		marker := len(a.r.published.all(a.r, s.toks)) > 0
		for _, h := range a.r.findDates(s.toks, today, &prev, s.idx, s.text) {
			if h.Precision == "day" && h.yearGiven && (marker || h.from <= 4) {
				a.pubSent, a.pubFrom, a.pubMarked = s.idx, h.from, true
				return h.at, true
			}
		}
	}
	return time.Time{}, false
}

func (a *analysis) run(pub time.Time, res *Result) {
	r := a.r
	var prev time.Time
	for _, s := range a.sents {
		res.Sentences = append(res.Sentences, Sentence{Index: s.idx, Text: s.text})
		s.dates = r.findDates(s.toks, pub, &prev, s.idx, s.text)
		if s.idx < 3 && !a.pubMarked {
			for _, h := range s.dates {
				if h.at.Equal(pub) && h.from <= 4 && h.yearGiven {
					a.pubSent, a.pubFrom, a.pubMarked = s.idx, h.from, true
				}
			}
		}
		s.places = r.findPlaces(s.toks, s.idx, s.text)
		for _, d := range s.dates {
			res.Dates = append(res.Dates, d.Date)
		}
		for _, p := range s.places {
			res.Places = addPlace(res.Places, p.Place)
		}
	}
	for _, s := range a.sents {
		s.types = r.foreground(s.toks, r.types.all(r, s.toks))
		s.victims = r.victimsIn(s)
		res.Claims = append(res.Claims, r.claimsIn(s, pub)...)
		a.protection(s, res)
		a.accountability(s, pub, res)
	}
	res.Incidents = a.incidents(pub)
}

func addPlace(ps []Place, p Place) []Place {
	for i := range ps {
		q := &ps[i]
		if q.Level == p.Level && q.Country == p.Country && q.Admin1 == p.Admin1 && q.District == p.District && q.Locality == p.Locality {
			q.Sentences = appendUnique(q.Sentences, p.Sentences...)
			return ps
		}
	}
	return append(ps, p)
}

func appendUnique(s []int, vs ...int) []int {
	for _, v := range vs {
		found := false
		for _, x := range s {
			found = found || x == v
		}
		if !found {
			s = append(s, v)
		}
	}
	sort.Ints(s)
	return s
}

// victimsIn finds the named people of a sentence: after a role, in
// apposition before one, or before a passive verb of an incident.
func (r *rules) victimsIn(s *sent) []victimHit {
	var out []victimHit
	add := func(name, role string, at int, conf float64) {
		if name == "" {
			return
		}
		for i := range out {
			if sameName(out[i].Name, name) {
				if len(name) > len(out[i].Name) {
					out[i].Name = name
				}
				if out[i].Role == "" {
					out[i].Role = role
				}
				return
			}
		}
		out = append(out, victimHit{Victim{Name: name, Role: role, Trace: Trace{Sentences: []int{s.idx}, Confidence: conf}}, at})
	}
	toks := s.toks
	for _, h := range r.roles.all(r, toks) {
		j := h.to
		for j < len(toks) && !toks[j].punct && r.roleAdjs.firstAt(r, toks, j) {
			j++
		}
		if name, _ := r.nameAfter(toks, j, s.text); name != "" {
			add(name, h.value, j, 0.8)
			continue
		}
		// "Ali Hassan, a prominent lawyer,"
		k := h.from
		for k > 0 && (r.roleAdjs.firstAt(r, toks, k-1) || isArticle(toks[k-1])) {
			k--
		}
		if k > 0 && toks[k-1].raw == "," {
			k--
			if k > 1 && isNumberTok(r, toks[k-1]) && toks[k-2].raw == "," {
				k -= 2
			}
			if name := r.nameBefore(toks, k, s.text); name != "" {
				add(name, h.value, k-1, 0.75)
			}
		}
	}
	for _, h := range s.types {
		// "Hayder Aziz was wounded": the phrase starts with the verb.
		if _, l, ok := r.victimVerbs.at(r, toks, h.from); ok && l < h.to-h.from {
			add(r.nameBefore(toks, h.from, s.text), "", h.from-1, 0.7)
		}
		// "وأصيب رفيقه حيدر عزيز": a relation word after the verb.
		if r.arabic && h.to < len(toks) && toks[h.to].in(r.titles) {
			if name, _ := r.nameAfter(toks, h.to, s.text); name != "" {
				add(name, "", h.to, 0.6)
			}
		}
		if h.from > 0 {
			for _, n := range []int{1, 2} {
				if h.from-n < 0 {
					continue
				}
				if _, l, ok := r.victimVerbs.at(r, toks, h.from-n); ok && l == n {
					add(r.nameBefore(toks, h.from-n, s.text), "", h.from-n-1, 0.7)
				}
			}
		}
		if !r.arabic && h.to < len(toks) && toks[h.to].upper {
			if name, _ := r.nameAfter(toks, h.to, s.text); name != "" {
				add(name, "", h.to, 0.6)
			}
		}
	}
	// Whoever left for somewhere ("his friend Karim Jawad fled to …").
	for _, h := range r.relocation.all(r, toks) {
		if n := r.nameBefore(toks, skipAux(toks, h.from), s.text); n != "" {
			add(n, "", h.from-1, 0.6)
		} else if n, _ := r.nameAfter(toks, h.to, s.text); n != "" && r.arabic {
			add(n, "", h.to, 0.6)
		}
	}
	// Outcomes: the nearest outcome word, else what the nearest incident
	// type implies.
	outs := r.outcomes.all(r, toks)
	for i := range out {
		if o, ok := nearest(outs, out[i].at); ok {
			out[i].Outcome = o.value
		} else if t, ok := nearest(s.types, out[i].at); ok {
			out[i].Outcome = r.typeOutcomes[t.value]
		}
	}
	return out
}

func isArticle(t token) bool {
	l := strings.ToLower(t.raw)
	return l == "a" || l == "an" || l == "the"
}

func isNumberTok(r *rules, t token) bool { _, ok := r.number(t); return ok }

// firstAt: a phrase of m starts at toks[i].
func (m *matcher) firstAt(r *rules, toks []token, i int) bool {
	_, _, ok := m.at(r, toks, i)
	return ok
}

func nearest(hs []hit, at int) (hit, bool) {
	best, bestD := hit{}, -1
	for _, h := range hs {
		d := h.from - at
		if d < 0 {
			d = -d
			if at < h.to {
				d = 0
			}
		}
		if bestD < 0 || d < bestD {
			best, bestD = h, d
		}
	}
	return best, bestD >= 0
}

// foreground drops incident words inside a relative clause, which tells
// the background ("a lawyer who had defended detained protesters"): from
// a relative pronoun (data: relative_pronouns) to the next punctuation.
func (r *rules) foreground(toks []token, hs []hit) []hit {
	in := make([]bool, len(toks))
	clause := false
	for i, t := range toks {
		if t.punct {
			clause = false
		} else if t.in(r.relatives) {
			clause = true
		}
		in[i] = clause
	}
	out := hs[:0]
	for _, h := range hs {
		if !in[h.from] {
			out = append(out, h)
		}
	}
	return out
}
