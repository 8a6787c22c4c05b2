package extract

import (
	"strings"
	"time"
)

// protection reads relocations, threats and lists of a sentence. They are
// proposals for the protection records; nothing accepts them yet.
func (a *analysis) protection(s *sent, res *Result) {
	r, toks := a.r, s.toks
	firstDate := func() *Date {
		if len(s.dates) == 0 {
			return nil
		}
		d := s.dates[0].Date
		return &d
	}
	person := func(from, to int) string {
		if len(s.victims) > 0 {
			return s.victims[0].Name
		}
		if n := r.nameBefore(toks, skipAux(toks, from), s.text); n != "" {
			return n
		}
		n, _ := r.nameAfter(toks, to, s.text)
		return n
	}
	for _, h := range r.relocation.all(r, toks) {
		var dest *Place
		for _, p := range s.places {
			if p.from >= h.to-1 && p.from <= h.to+8 {
				pl := p.Place
				dest = &pl
				break
			}
		}
		if dest == nil && (len(toks[h.from:h.to]) < 2 || endsWithPreposition(toks[h.to-1])) {
			continue
		}
		res.Protection.Relocations = append(res.Protection.Relocations, Relocation{
			Person: person(h.from, h.to), Destination: dest, Date: firstDate(),
			Trace: Trace{Sentences: []int{s.idx}, Confidence: 0.7}})
		break
	}
	if hs := r.threat.all(r, toks); len(hs) > 0 {
		target := person(hs[0].from, hs[0].to)
		if n := len(res.Protection.Relocations); target == "" && n > 0 && res.Protection.Relocations[n-1].Sentences[0] == s.idx {
			target = res.Protection.Relocations[n-1].Person
		}
		res.Protection.Threats = append(res.Protection.Threats, Threat{Target: target, Date: firstDate(),
			Trace: Trace{Sentences: []int{s.idx}, Confidence: 0.6}})
	}
	for _, h := range r.hitList.all(r, toks) {
		l := HitList{Trace: Trace{Sentences: []int{s.idx}, Confidence: 0.6}}
		for j := h.to; j < min(len(toks), h.to+4); j++ {
			if n, ok := r.number(toks[j]); ok {
				l.Count = n
				if j+1 < len(toks) && !toks[j+1].punct {
					l.Who = toks[j+1].raw
				}
				break
			}
		}
		if l.Count == 0 && h.to-h.from < 2 {
			continue // a bare "list" may be an electoral list
		}
		if ps := r.perps.all(r, toks); len(ps) > 0 {
			l.Issuer = s.text[toks[ps[0].from].start:toks[ps[0].to-1].end]
		}
		s.list = true
		res.Protection.Lists = append(res.Protection.Lists, l)
		break
	}
}

func endsWithPreposition(t token) bool {
	switch t.stems[0] {
	case "to", "in", "for", "الي", "الى":
		return true
	}
	return false
}

// skipAux steps back over "later", "had", "then" before a verb.
func skipAux(toks []token, i int) int {
	for i > 0 {
		switch strings.ToLower(toks[i-1].raw) {
		case "later", "had", "has", "then", "also", "eventually", "subsequently":
			i--
			continue
		}
		break
	}
	return i
}

// accountability reads promises with deadlines and committees formed.
func (a *analysis) accountability(s *sent, pub time.Time, res *Result) {
	r, toks := a.r, s.toks
	base := pub
	if len(s.dates) > 0 {
		base = s.dates[0].at
	}
	if hs := r.promise.all(r, toks); len(hs) > 0 {
		h := hs[0]
		p := Promise{What: s.text, By: a.actor(s, h), Trace: Trace{Sentences: []int{s.idx}, Confidence: 0.6}}
		p.AuthorityType = r.authorityOf(p.By)
		if text, due, ok := r.deadlineIn(s, base); ok {
			p.Deadline, p.Due, p.Confidence = text, due.Format(day), 0.75
		}
		res.Accountability.Promises = append(res.Accountability.Promises, p)
		s.account = true
	}
	verbs := r.committeeVerb.all(r, toks)
	if len(verbs) == 0 {
		return
	}
	for _, h := range r.committee.all(r, toks) {
		start, end := h.from, h.to
		for k := h.from - 1; !a.r.arabic && k >= 0 && h.from-k <= 3 && !toks[k].punct; k-- {
			if isArticle(toks[k]) {
				start = k + 1 // "an investigative committee"
				break
			}
		}
		for end < len(toks) && end-h.to < 6 && !toks[end].punct && !toks[end].is("and") {
			end++
		}
		c := Committee{Name: s.text[toks[start].start:toks[end-1].end], FormedBy: a.actor(s, verbs[0]),
			Trace: Trace{Sentences: []int{s.idx}, Confidence: 0.7}}
		if n := len(res.Accountability.Promises); c.FormedBy == "" && n > 0 && res.Accountability.Promises[n-1].Sentences[0] == s.idx {
			c.FormedBy = res.Accountability.Promises[n-1].By // "ووعد المحافظ … وأمر بتشكيل لجنة"
		}
		c.FormedByType = r.authorityOf(c.FormedBy)
		if len(s.dates) > 0 {
			d := s.dates[0].Date
			c.Date = &d
		}
		res.Accountability.Committees = append(res.Accountability.Committees, c)
		s.account = true
		break
	}
}

// authorityOf is the kind of authority (data: authorities) the first
// known phrase of who names, the longest at its place: "the Interior
// Minister", "رئيس مجلس الوزراء".
func (r *rules) authorityOf(who string) string {
	if who == "" {
		return ""
	}
	if hs := r.authorities.all(r, tokenize(r.lang, who)); len(hs) > 0 {
		return hs[0].value
	}
	return ""
}

// actor is who did what a verb says: in English the words before it, in
// Arabic the words after it, up to punctuation (at most eight).
func (a *analysis) actor(s *sent, verb hit) string {
	toks := s.toks
	if a.r.arabic {
		j := verb.to
		for j < len(toks) && j-verb.to < 5 && !toks[j].punct && !a.r.committee.firstAt(a.r, toks, j) {
			if w := toks[j].stems[0]; w == "ب" || w == "ان" || w == "بان" || w == "علي" || strings.HasPrefix(toks[j].raw, "بال") {
				break
			}
			j++
		}
		if j == verb.to {
			return ""
		}
		return s.text[toks[verb.to].start:toks[j-1].end]
	}
	end := verb.from
	for _, m := range []*matcher{a.r.promise, a.r.committeeVerb} {
		if hs := m.all(a.r, toks); len(hs) > 0 && hs[0].from < end {
			end = hs[0].from // "X promised … and formed": X did both
		}
	}
	i := end
	for i > 0 && end-i < 8 && !toks[i-1].punct {
		i--
	}
	for i < end && (isArticle(toks[i]) || strings.EqualFold(toks[i].raw, "on")) {
		i++
	}
	if i == end {
		return ""
	}
	return s.text[toks[i].start:toks[end-1].end]
}

// deadlineIn finds "within three months" and the day it falls due.
func (r *rules) deadlineIn(s *sent, base time.Time) (string, time.Time, bool) {
	for i := range s.toks {
		for _, p := range r.deadline {
			sl, n, ok := r.matchPattern(p, s.toks, i)
			if !ok || sl.unit == "" {
				continue
			}
			k := sl.n
			if k == 0 {
				k = 1
			}
			due := base
			switch sl.unit {
			case "day":
				due = base.AddDate(0, 0, k)
			case "week":
				due = base.AddDate(0, 0, 7*k)
			case "month":
				due = base.AddDate(0, k, 0)
			case "year":
				due = base.AddDate(k, 0, 0)
			}
			return s.text[s.toks[i].start:s.toks[i+n-1].end], due, true
		}
	}
	return "", time.Time{}, false
}
