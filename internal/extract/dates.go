package extract

import (
	"strconv"
	"time"
)

const day = "2006-01-02"

// Date is a date the report mentions, resolved to the span it may cover.
type Date struct {
	Start     string `json:"start"` // YYYY-MM-DD
	End       string `json:"end"`
	Precision string `json:"precision"` // day, week, month, year
	Text      string `json:"text"`      // as written
	Relative  bool   `json:"relative,omitempty"`
	Trace
}

// dateHit is a date found in a sentence's tokens.
type dateHit struct {
	Date
	from, to  int
	kind      string
	at        time.Time
	yearGiven bool
}

// number reads a token as a number: digits (any script) or a number word.
func (r *rules) number(t token) (int, bool) {
	if t.numKnown {
		return t.num, t.isNum
	}
	if t.punct {
		return 0, false
	}
	s := t.stems[0]
	if len(s) > 0 && len(s) <= 9 && isDigits(s) {
		n, _ := strconv.Atoi(s)
		return n, true
	}
	for _, st := range t.stems {
		if n, ok := r.numbers[st]; ok {
			return n, true
		}
	}
	return 0, false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// slots are what a date pattern read.
type slots struct {
	d, m, y, n, weekday int
	unit                string
}

// matchPattern matches p at toks[i:], returning the tokens read.
func (r *rules) matchPattern(p pattern, toks []token, i int) (slots, int, bool) {
	s := slots{weekday: -1}
	j := i
	for _, w := range p.words {
		for j < len(toks) && toks[j].punct && (toks[j].raw == "," || toks[j].raw == "،") && w != "," {
			j++ // commas between parts: "November 6, 2019"
		}
		if j >= len(toks) {
			return s, 0, false
		}
		t := toks[j]
		switch w {
		case "#d", "#m", "#y", "#n":
			n, ok := r.number(t)
			if !ok {
				return s, 0, false
			}
			switch {
			case w == "#d" && n >= 1 && n <= 31:
				s.d = n
			case w == "#m" && n >= 1 && n <= 12:
				s.m = n
			case w == "#y" && n >= 1900 && n <= 2100 && len(t.stems[0]) == 4:
				s.y = n
			case w == "#n" && n > 0 && n < 1000:
				s.n = n
			default:
				return s, 0, false
			}
			j++
		case "@month", "@weekday", "@unit":
			m := map[string]*matcher{"@month": r.months, "@weekday": r.weekdays, "@unit": r.units}[w]
			v, n, ok := m.at(r, toks, j)
			if !ok {
				return s, 0, false
			}
			switch w {
			case "@month":
				s.m, _ = strconv.Atoi(v)
			case "@weekday":
				s.weekday, _ = strconv.Atoi(v)
			default:
				s.unit = v
			}
			j += n
		default:
			if !t.is(w) {
				return s, 0, false
			}
			j++
		}
	}
	return s, j - i, true
}

// findDates reads the dates of a sentence in order. pub is the
// publication date; prev the last date resolved before (for "five days
// later"), updated as dates are found.
func (r *rules) findDates(toks []token, pub time.Time, prev *time.Time, sentence int, text string) []dateHit {
	var out []dateHit
	longest := func(i int) (int, int, slots) {
		best, bestLen := -1, 0
		var bestSlots slots
		for _, k := range r.patternsAt(toks, i) {
			p := r.patterns[k]
			if s, n, ok := r.matchPattern(p, toks, i); ok && n > bestLen {
				best, bestLen, bestSlots = k, n, s
			}
		}
		return best, bestLen, bestSlots
	}
	for i := 0; i < len(toks); {
		best, bestLen, bestSlots := longest(i)
		if best < 0 {
			i++
			continue
		}
		// "في تشرين الثاني الماضي": the match one word on reaches further.
		if i+1 < len(toks) {
			if b2, l2, _ := longest(i + 1); b2 >= 0 && i+1+l2 > i+bestLen {
				i++
				continue
			}
		}
		p := r.patterns[best]
		base := pub
		if p.Anchor == "previous" && prev != nil && !prev.IsZero() {
			base = *prev
		}
		at, prec, ok := resolve(p, bestSlots, base, pub)
		if !ok {
			i++
			continue
		}
		start, end := span(at, prec)
		h := dateHit{from: i, to: i + bestLen, kind: p.Kind, at: at, yearGiven: bestSlots.y != 0}
		h.Date = Date{Start: start.Format(day), End: end.Format(day), Precision: prec,
			Text: text[toks[i].start:toks[i+bestLen-1].end], Relative: p.Kind == "offset" || p.Kind == "weekday" || p.Kind == "last_month" || p.Kind == "month_in",
			Trace: Trace{Sentences: []int{sentence}, Confidence: p.Confidence}}
		out = append(out, h)
		*prev = at
		i += bestLen
	}
	return out
}

// resolve turns what a pattern read into a day and a precision.
func resolve(p pattern, s slots, base, pub time.Time) (time.Time, string, bool) {
	y := pub.Year()
	switch p.Kind {
	case "absolute", "dmy":
		yearGiven := s.y != 0
		if yearGiven {
			y = s.y
		}
		if s.m == 0 {
			return time.Time{}, "", false
		}
		if s.d == 0 {
			return date(y, s.m, 1), "month", true
		}
		t := date(y, s.m, s.d)
		if t.Day() != s.d {
			return time.Time{}, "", false // 31 November
		}
		if !yearGiven && t.After(pub) {
			t = t.AddDate(-1, 0, 0)
		}
		return t, "day", true
	case "month":
		if s.y != 0 {
			y = s.y
		}
		return date(y, s.m, 1), "month", true
	case "year":
		return date(s.y, 1, 1), "year", true
	case "last_month", "month_in":
		if s.m > int(pub.Month()) || (p.Kind == "last_month" && s.m == int(pub.Month())) {
			y--
		}
		return date(y, s.m, 1), "month", true
	case "weekday":
		back := (int(pub.Weekday()) - s.weekday + 7) % 7
		return pub.AddDate(0, 0, -back), "day", true
	case "offset":
		n := p.N
		if p.Sign != 0 {
			n = p.Sign * s.n
		}
		switch p.Unit {
		case "day":
			return base.AddDate(0, 0, n), "day", true
		case "week":
			return base.AddDate(0, 0, 7*n), "week", true
		case "month":
			t := base.AddDate(0, n, 0)
			return date(t.Year(), int(t.Month()), 1), "month", true
		case "year":
			return date(base.Year()+n, 1, 1), "year", true
		}
	}
	return time.Time{}, "", false
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// span is the first and last day of a date of a precision, as incidents
// store it (a week runs seven days from the day named).
func span(t time.Time, precision string) (time.Time, time.Time) {
	switch precision {
	case "week":
		return t, t.AddDate(0, 0, 6)
	case "month":
		first := date(t.Year(), int(t.Month()), 1)
		return first, first.AddDate(0, 1, -1)
	case "year":
		return date(t.Year(), 1, 1), date(t.Year(), 12, 31)
	}
	return t, t
}

// patternsAt lists the date patterns that may start at toks[i], by their
// first word or slot, in data order.
func (r *rules) patternsAt(toks []token, i int) []int {
	t := toks[i]
	var out []int
	for _, s := range t.stems {
		out = append(out, r.patternIndex[s]...)
	}
	if _, ok := r.number(t); ok {
		out = append(out, r.patternIndex["#"]...)
	}
	if r.months.firstAt(r, toks, i) {
		out = append(out, r.patternIndex["@month"]...)
	}
	if r.weekdays.firstAt(r, toks, i) {
		out = append(out, r.patternIndex["@weekday"]...)
	}
	return out
}
