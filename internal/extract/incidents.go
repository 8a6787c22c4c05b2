package extract

import (
	"sort"
	"time"
)

// incidents turns the incident words of the sentences into proposed
// incidents. A sentence with a claim proposes none; one with a promise,
// committee or list only adds to an incident already proposed. The same
// type again, with a victim in common or none named, and no other date,
// is the same incident. A date or place the sentence lacks is taken from
// the nearest sentence before that has one, with less confidence.
func (a *analysis) incidents(pub time.Time) []Incident {
	r := a.r
	var out []Incident
	lastSent := -2 // the sentence the last incident was proposed from
	for _, s := range a.sents {
		if s.claim {
			continue
		}
		seen := map[string]bool{}
		named := false // some incident word of the sentence has a victim
		for _, v := range s.victims {
			named = named || len(s.types) > 0 && v.at >= 0
		}
		relocated := len(r.relocation.all(r, s.toks)) > 0
		for _, h := range s.types {
			if seen[h.value] {
				continue
			}
			seen[h.value] = true
			if relocated && h.value == "death_threat" {
				continue // the reason for leaving: a threat proposal (protection), not an incident
			}
			inc := Incident{Type: h.value, Keyword: s.text[s.toks[h.from].start:s.toks[h.to-1].end],
				Trace: Trace{Sentences: []int{s.idx}, Confidence: 0.8}}
			for _, v := range s.victims {
				if t, ok := nearest(s.types, v.at); ok && t.value == h.value {
					vv := v.Victim
					out := r.typeOutcomes[h.value]
					if vv.Outcome == "" || (out != "" && !compatible(h.value, vv.Outcome)) {
						vv.Outcome = out
					}
					inc.Victims = append(inc.Victims, vv)
				}
			}
			if d := a.ownDate(s); d != nil && !s.account && !s.list {
				inc.Date = d
			}
			if p := ownPlace(s); p != nil {
				inc.Place = p
			}
			for _, ph := range r.perps.all(r, s.toks) {
				if ph.value == "-" {
					continue // data lists what looks like a perpetrator and is not ("police station")
				}
				inc.Perpetrators = addPerp(inc.Perpetrators, r, s, ph)
			}
			if i := sameIncident(out, inc); i >= 0 {
				merge(&out[i], inc)
				lastSent = s.idx
				continue
			}
			if s.account || s.list {
				continue
			}
			if len(inc.Victims) == 0 {
				// A second incident word with nobody named, next to one
				// with a victim ("abducted … whereabouts unknown"), or in
				// the sentence after an incident ("He had been beaten"),
				// tells more of that incident.
				if named {
					continue
				}
				if n := len(out); n > 0 && s.idx-lastSent <= 1 && len(inc.Perpetrators) == 0 {
					out[n-1].Sentences = appendUnique(out[n-1].Sentences, s.idx)
					continue
				}
			}
			out = append(out, inc)
			lastSent = s.idx
		}
	}
	for i := range out {
		a.inherit(&out[i])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sentences[0] < out[j].Sentences[0] })
	return out
}

// compatible: an outcome word next to a name agrees with the type
// ("wounded" in an attempted killing, not in a kidnapping's "killed").
func compatible(typ, outcome string) bool {
	switch typ {
	case "killing":
		return outcome == "killed"
	case "attempted_killing":
		return outcome == "injured" || outcome == "unharmed"
	case "kidnapping", "arbitrary_detention":
		return outcome == "abducted" || outcome == "released" || outcome == "missing"
	}
	return true
}

// ownDate is the sentence's first date that is not the publication date
// of the dateline.
func (a *analysis) ownDate(s *sent) *Date {
	for _, d := range s.dates {
		if s.idx == a.pubSent && d.from == a.pubFrom {
			continue
		}
		dd := d.Date
		return &dd
	}
	return nil
}

// ownPlace is the sentence's first place at home, passing over a
// dateline's ("BAGHDAD, 7 November —") when the sentence names another.
func ownPlace(s *sent) *Place {
	for k, p := range s.places {
		if p.from == 0 && s.idx == 0 && k+1 < len(s.places) && p.to < len(s.toks) && s.toks[p.to].punct {
			continue
		}
		if !p.Abroad {
			pl := p.Place
			return &pl
		}
	}
	return nil
}

func addPerp(ps []Perpetrator, r *rules, s *sent, h hit) []Perpetrator {
	desc := s.text[s.toks[h.from].start:s.toks[h.to-1].end]
	for _, v := range r.vehicles.all(r, s.toks) {
		desc += "; " + s.text[s.toks[v.from].start:s.toks[v.to-1].end]
	}
	for i := range ps {
		if ps[i].Type == h.value {
			return ps
		}
	}
	return append(ps, Perpetrator{Type: h.value, Description: desc, Trace: Trace{Sentences: []int{s.idx}, Confidence: 0.7}})
}

func sameIncident(out []Incident, inc Incident) int {
	for i := len(out) - 1; i >= 0; i-- {
		o := out[i]
		if o.Type != inc.Type {
			continue
		}
		if inc.Date != nil && o.Date != nil && inc.Date.Start != o.Date.Start {
			continue
		}
		if len(inc.Victims) == 0 || len(o.Victims) == 0 || shareVictim(o.Victims, inc.Victims) {
			return i
		}
	}
	return -1
}

func shareVictim(a, b []Victim) bool {
	for _, x := range a {
		for _, y := range b {
			if sameName(x.Name, y.Name) {
				return true
			}
		}
	}
	return false
}

func merge(o *Incident, inc Incident) {
	o.Sentences = appendUnique(o.Sentences, inc.Sentences...)
	if o.Date == nil {
		o.Date = inc.Date
	}
	if o.Place == nil || (o.Place.Level == "governorate" && inc.Place != nil && inc.Place.Admin1 == o.Place.Admin1) {
		if inc.Place != nil {
			o.Place = inc.Place
		}
	}
	for _, v := range inc.Victims {
		found := false
		for i := range o.Victims {
			if sameName(o.Victims[i].Name, v.Name) {
				found = true
				o.Victims[i].Sentences = appendUnique(o.Victims[i].Sentences, v.Sentences...)
				if len(v.Name) > len(o.Victims[i].Name) {
					o.Victims[i].Name = v.Name
				}
				if o.Victims[i].Role == "" {
					o.Victims[i].Role = v.Role
				}
			}
		}
		if !found {
			o.Victims = append(o.Victims, v)
		}
	}
	for _, p := range inc.Perpetrators {
		dup := false
		for _, q := range o.Perpetrators {
			dup = dup || q.Type == p.Type
		}
		if !dup {
			o.Perpetrators = append(o.Perpetrators, p)
		}
	}
}

// inherit fills a missing date or place from the nearest sentence before
// the incident's first that has one (the dateline's place counts; its
// publication date does not).
func (a *analysis) inherit(inc *Incident) {
	first := inc.Sentences[0]
	for i := first; i >= 0 && (inc.Date == nil || inc.Place == nil); i-- {
		s := a.sents[i]
		if s.claim {
			continue
		}
		if inc.Date == nil {
			if d := a.ownDate(s); d != nil {
				d.Confidence *= 0.6
				inc.Date = d
			}
		}
		if inc.Place == nil {
			if p := ownPlace(s); p != nil {
				p.Confidence *= 0.7
				inc.Place = p
			}
		}
	}
	// A place named after the incident's sentences (in a later sentence of
	// the same incident) was already merged; else look forward one sentence.
	if inc.Place == nil && first+1 < len(a.sents) {
		if p := ownPlace(a.sents[first+1]); p != nil {
			p.Confidence *= 0.5
			inc.Place = p
		}
	}
}
