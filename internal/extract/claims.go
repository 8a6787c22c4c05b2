package extract

import (
	"strings"
	"time"
)

// claimsIn reads counts of a sentence: a number before a counted noun
// ("44 kidnappings", "74 محاولة اغتيال"), or before people and an
// incident word ("12 activists were killed"); with the period and who
// says so. A sentence with a claim proposes no incident.
func (r *rules) claimsIn(s *sent, pub time.Time) []Claim {
	toks := s.toks
	var out []Claim
	add := func(n int, what string, from, to int) {
		c := Claim{Number: n, What: what, Counts: s.text[toks[from].start:toks[to-1].end],
			Trace: Trace{Sentences: []int{s.idx}, Confidence: 0.8}}
		out = append(out, c)
	}
	listed := len(r.hitList.all(r, toks)) > 0
	for _, h := range r.claimNouns.all(r, toks) {
		if h.from > 0 {
			if n, ok := r.number(toks[h.from-1]); ok && n >= 2 {
				add(n, h.value, h.from-1, h.to)
			}
		}
	}
	if !listed {
		for _, h := range r.claimSubjects.all(r, toks) {
			if h.from == 0 {
				continue
			}
			n, ok := r.number(toks[h.from-1])
			if !ok || n < 2 {
				continue
			}
			for j := h.to; j < min(len(toks), h.to+6) && !toks[j].punct; j++ {
				if v, l, ok := r.types.at(r, toks, j); ok {
					add(n, v, h.from-1, j+l)
					break
				}
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	s.claim = true
	period := r.claimPeriod(s, pub)
	source := r.claimSource(s)
	for i := range out {
		out[i].Period = period
		out[i].Source = source
		if source == "" {
			out[i].Confidence = 0.6
		}
	}
	return out
}

// claimPeriod: the sentence's first date; "since" makes it run to the
// publication date.
func (r *rules) claimPeriod(s *sent, pub time.Time) *Date {
	if len(s.dates) == 0 {
		return nil
	}
	d := s.dates[0].Date
	f := s.dates[0].from
	since := func(t token) bool { return t.is("since") || t.is("منذ") }
	switch {
	case since(s.toks[f]):
		d.End = pub.Format(day)
	case f > 0 && since(s.toks[f-1]):
		d.End = pub.Format(day)
		d.Text = s.toks[f-1].raw + " " + d.Text
	}
	return &d
}

// claimSource: "according to X", "بحسب X", or "X said".
func (r *rules) claimSource(s *sent) string {
	toks := s.toks
	for _, h := range r.attrBefore.all(r, toks) {
		if src := r.phraseAfter(toks, h.to, s.text); src != "" {
			return src
		}
	}
	for _, h := range r.attrSubject.all(r, toks) {
		if src := r.orgBefore(toks, h.from, s.text); src != "" {
			return src
		}
	}
	return ""
}

var connectors = map[string]bool{"of": true, "for": true, "the": true, "and": true, "in": true}

// phraseAfter is an organisation's or person's name after toks[i]: in
// English capitalised words and connectors, in Arabic the words up to
// punctuation, a number or a date word (at most six).
func (r *rules) phraseAfter(toks []token, i int, text string) string {
	j := i
	for j < len(toks) && j-i < 8 {
		t := toks[j]
		if t.punct || isNumberTok(r, t) || r.months.firstAt(r, toks, j) || r.weekdays.firstAt(r, toks, j) {
			break
		}
		if !r.arabic && !t.upper && !connectors[strings.ToLower(t.raw)] && !strings.HasPrefix(strings.ToLower(t.raw), "al-") {
			break
		}
		if r.arabic && j-i >= 6 {
			break
		}
		j++
	}
	for j > i && !r.arabic && connectors[strings.ToLower(toks[j-1].raw)] {
		j--
	}
	if j == i {
		return ""
	}
	return text[toks[i].start:toks[j-1].end]
}

// orgBefore is an English name of capitalised words and connectors ending
// before toks[end].
func (r *rules) orgBefore(toks []token, end int, text string) string {
	i := end
	for i > 0 && end-i < 8 {
		t := toks[i-1]
		if t.punct || !(t.upper || connectors[strings.ToLower(t.raw)] || strings.HasPrefix(strings.ToLower(t.raw), "al-")) {
			break
		}
		i--
	}
	for i < end && connectors[strings.ToLower(toks[i].raw)] {
		i++
	}
	if i == end {
		return ""
	}
	return text[toks[i].start:toks[end-1].end]
}
