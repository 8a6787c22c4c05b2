package extract

import "strings"

// Person names are read next to what marks them as names: a role word
// ("activist Ali Hassan", "الناشط علي حسن"), an apposition ("Ali Hassan,
// a lawyer,") or a passive verb of an incident ("Ali Hassan was shot
// dead"). English names are runs of capitalised words; Arabic ones run
// until a word of name_stop, a keyword or punctuation.

// startsKeyword: a keyword of the incident, outcome, perpetrator, month
// or weekday lists begins at toks[j], so a name cannot run on.
func (r *rules) startsKeyword(toks []token, j int, inName bool) bool {
	for _, m := range []*matcher{r.types, r.outcomes, r.perps, r.months, r.weekdays, r.roles, r.relocation, r.promise} {
		if m == r.roles && inName && r.arabic {
			continue // a surname that is also a role word: ياسر طالب
		}
		if _, _, ok := m.at(r, toks, j); ok {
			return true
		}
	}
	return false
}

func (r *rules) nameWord(toks []token, j int, inName bool) bool {
	t := toks[j]
	if t.punct || t.in(r.nameStop) {
		return false
	}
	if _, isNum := r.number(t); isNum {
		return false
	}
	if r.arabic {
		return !r.startsKeyword(toks, j, inName)
	}
	if t.upper {
		return !r.startsKeyword(toks, j, inName)
	}
	l := strings.ToLower(t.raw)
	return (strings.HasPrefix(l, "al-") || strings.HasPrefix(l, "el-")) && len(l) > 4
}

func (r *rules) particle(t token) bool {
	return !t.punct && (r.particles[t.stems[0]] || r.particles[strings.ToLower(t.raw)])
}

// nameAfter reads a name starting at toks[i] (after titles), returning
// it and the index after it.
func (r *rules) nameAfter(toks []token, i int, text string) (string, int) {
	for i < len(toks) && !toks[i].punct && toks[i].in(r.titles) {
		i++
	}
	max := 5
	if r.arabic {
		max = 4
	}
	j, words := i, 0
	for j < len(toks) && words < max {
		if r.particle(toks[j]) && j+1 < len(toks) && r.nameWord(toks, j+1, true) {
			j += 2
			words++
			continue
		}
		if !r.nameWord(toks, j, words > 0) {
			break
		}
		j++
		words++
	}
	if words < 2 {
		return "", i
	}
	return text[toks[i].start:toks[j-1].end], j
}

// nameBefore reads an English name ending just before toks[end].
func (r *rules) nameBefore(toks []token, end int, text string) string {
	if r.arabic {
		return ""
	}
	i, words := end, 0
	for i > 0 && words < 5 {
		if r.nameWord(toks, i-1, false) {
			i--
			words++
			continue
		}
		if i >= 2 && r.particle(toks[i-1]) && words > 0 {
			i--
			continue
		}
		break
	}
	for i < end && r.particle(toks[i]) {
		i++
	}
	if words < 2 {
		return ""
	}
	return text[toks[i].start:toks[end-1].end]
}

// sameName: one name's words are all in the other (a later "al-Saadi" or
// the full "Ali Hassan al-Saadi").
func sameName(a, b string) bool {
	wa, wb := strings.Fields(normWord(a)), strings.Fields(normWord(b))
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	in := map[string]bool{}
	for _, w := range wb {
		in[w] = true
	}
	for _, w := range wa {
		if !in[w] {
			return false
		}
	}
	return true
}
