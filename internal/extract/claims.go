package extract

import (
	"strings"
	"time"
)

// claimsIn reads counts of a sentence (docs/extract.md, "Aggregate
// claims"), at each number read as a whole (numberAt):
//   - a number before a counted noun: "44 kidnappings", "74 محاولة اغتيال";
//   - a number before people (claim_subjects) and, within a few words, an
//     incident word or a counted noun: "27 defenders were killed",
//     "٢٣ ناشطاً اغتيلوا";
//   - a bare number before an incident word, through link words only
//     (claim_links), once the sentence has a claim: "… and 53 were
//     abducted", "و٦١ اختطفوا";
//   - first, an event noun (claim_events) before the number and people:
//     "the abduction of 17 activists", "اختطاف ١٧ ناشطاً".
//
// Numbers inside dates and on hit lists are not counts. The period and
// who says so are the sentence's. A sentence with a claim proposes no
// incident.
func (r *rules) claimsIn(s *sent, pub time.Time) []Claim {
	toks := s.toks
	var out []Claim
	add := func(n int, what string, from, to int) {
		c := Claim{Number: n, What: what, Counts: s.text[toks[from].start:toks[to-1].end],
			Trace: Trace{Sentences: []int{s.idx}, Confidence: 0.8}}
		out = append(out, c)
	}
	inDate := make([]bool, len(toks))
	for _, d := range s.dates {
		for k := d.from; k < d.to && k < len(toks); k++ {
			inDate[k] = true
		}
	}
	listed := len(r.hitList.all(r, toks)) > 0
	for i := 0; i < len(toks); i++ {
		if inDate[i] {
			continue
		}
		n, j, ok := r.numberAt(toks, i)
		if !ok {
			continue
		}
		next := j - 1
		switch {
		case n < 2:
		case j >= len(toks): // a number ends the sentence
		case r.claimNouns.firstAt(r, toks, j):
			v, l, _ := r.claimNouns.at(r, toks, j)
			add(n, v, i, j+l)
			next = j + l - 1
		case listed:
		default:
			k, subject := j, false
			if _, l, ok := r.claimSubjects.at(r, toks, k); ok {
				k, subject = k+l, true
			}
			if v, from, ok := r.eventBefore(toks, i); ok && subject {
				add(n, v, from, k)
				next = k - 1
			} else if v, end, ok := r.countedEvent(toks, k, subject, len(out) > 0); ok {
				add(n, v, i, end)
				next = end - 1
			}
		}
		i = next
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

// countedEvent finds what a count at toks[k] (after its people, if any)
// counts: an incident word or a counted noun, within six words after
// people, or after link words only without them (and then only once the
// sentence has a claim). It stops at punctuation, another number and a
// relative pronoun.
func (r *rules) countedEvent(toks []token, k int, subject, claimed bool) (string, int, bool) {
	if !subject && !claimed {
		return "", 0, false
	}
	for m := k; m < len(toks) && m < k+6; m++ {
		t := toks[m]
		if t.punct || isNumberTok(r, t) || t.in(r.relatives) {
			break // a relative clause is background: "12 activists who would be killed"
		}
		if v, l, ok := r.types.at(r, toks, m); ok {
			return v, m + l, true
		}
		if v, l, ok := r.claimNouns.at(r, toks, m); ok {
			return v, m + l, true
		}
		if !subject && !t.in(r.claimLinks) {
			break
		}
	}
	return "", 0, false
}

// eventBefore is an event noun (claim_events) ending right before
// toks[i], or before a link word ("of"): "the killing of four others".
func (r *rules) eventBefore(toks []token, i int) (string, int, bool) {
	end := i
	if end > 0 && toks[end-1].in(r.claimLinks) && !r.arabic {
		end--
	}
	for from := end - 1; from >= 0 && from >= end-3; from-- {
		if v, l, ok := r.claimEvents.at(r, toks, from); ok && from+l == end {
			return v, from, true
		}
	}
	return "", 0, false
}

// numberAt reads the number starting at toks[i] and where it ends: digits
// with thousands separators ("1,230", "١٬٢٣٠"), or number words combined
// ("twenty-five", "three hundred and twelve", "خمسة وعشرين", "اثنان
// وأربعون"). Digits never combine with words or other digits otherwise
// ("2019 and 2021" are two numbers).
func (r *rules) numberAt(toks []token, i int) (int, int, bool) {
	t := toks[i]
	if t.punct {
		return 0, i, false
	}
	if isDigits(t.stems[0]) {
		n, ok := r.number(t)
		if !ok {
			return 0, i, false
		}
		j := i + 1
		for len(t.stems[0]) <= 3 && j+1 < len(toks) && (toks[j].raw == "," || toks[j].raw == "٬") &&
			toks[j].start == toks[j-1].end && toks[j+1].start == toks[j].end &&
			len(toks[j+1].stems[0]) == 3 && isDigits(toks[j+1].stems[0]) && n < 1000000 {
			m, _ := r.number(toks[j+1])
			n, j = n*1000+m, j+2
		}
		return n, j, true
	}
	total, cur, last, j := 0, 0, 0, i
	for j < len(toks) {
		v, mult, ok := r.numberWord(toks[j])
		if !ok {
			break
		}
		switch {
		case j == i:
			cur = v
		case mult:
			if cur == 0 {
				cur = 1
			}
			cur *= v
			if v >= 1000 {
				total, cur = total+cur, 0
			}
		case r.combines(last, v):
			cur += v
		default:
			return total + cur, j, true
		}
		if mult && j == i {
			cur = v
		}
		last = v
		j++
		// "three hundred and twelve": "and" only between number words.
		if j+1 < len(toks) && toks[j].is("and") && !r.arabic {
			if _, _, ok := r.numberWord(toks[j+1]); ok && last >= 100 {
				j++
			}
		}
	}
	if j == i {
		return 0, i, false
	}
	return total + cur, j, true
}

// numberWord is a word's value, and whether it multiplies what comes
// before it (hundred, مئة); a hyphenated word is the sum of its parts
// ("twenty-five").
func (r *rules) numberWord(t token) (int, bool, bool) {
	if t.punct || isDigits(t.stems[0]) {
		return 0, false, false
	}
	if n, ok := r.number(t); ok {
		_, mult := r.multipliers[t.stems[0]]
		return n, mult, true
	}
	parts := strings.Split(t.stems[0], "-")
	if len(parts) < 2 {
		return 0, false, false
	}
	sum := 0
	for _, p := range parts {
		n, ok := r.numbers[p]
		if !ok {
			return 0, false, false
		}
		sum += n
	}
	return sum, false, true
}

// combines says whether number word v adds to the one before it, last:
// English tens then units ("twenty five"), anything below a hundred after
// hundreds; Arabic units then tens ("خمسة وعشرين").
func (r *rules) combines(last, v int) bool {
	switch {
	case last >= 100:
		return v < last
	case r.arabic:
		return last < 10 && v >= 20 && v < 100 && v%10 == 0
	default:
		return last >= 20 && last < 100 && last%10 == 0 && v < 10
	}
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
