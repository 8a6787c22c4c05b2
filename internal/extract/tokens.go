package extract

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/textnorm"
)

// token is a word or a punctuation mark of a sentence. stems[0] is its
// matching form (normalised; in Arabic without the article and attached
// conjunction); Arabic words with an attached preposition get a second
// form without it, so that "ببغداد" matches "بغداد".
type token struct {
	raw        string
	start, end int // byte offsets in the sentence
	punct      bool
	upper      bool // starts with an upper-case letter
	stems      []string
	num        int  // its value, if numKnown and isNum
	isNum      bool // set with numKnown by analysis, once per token
	numKnown   bool
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == 'ـ'
}

// tokenize splits s into tokens. A hyphen or apostrophe between two
// letters stays inside the word (al-Saadi, O'Brien).
func tokenize(lang, s string) []token {
	var out []token
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r) || textnorm.IsBidiControl(r) || r == '\u200c' || r == '\u200d' || r == '\ufeff':
			i += n
		case isWordRune(r):
			j := i + n
			prev := r
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) {
					prev = r2
					j += n2
					continue
				}
				if (r2 == '-' || r2 == '\'' || r2 == '’') && unicode.IsLetter(prev) {
					r3, _ := utf8.DecodeRuneInString(s[j+n2:])
					if unicode.IsLetter(r3) {
						j += n2
						continue
					}
				}
				break
			}
			out = append(out, wordToken(lang, s[i:j], i, j))
			i = j
		default:
			out = append(out, token{raw: s[i : i+n], start: i, end: i + n, punct: true, stems: []string{s[i : i+n]}})
			i += n
		}
	}
	return out
}

func wordToken(lang, raw string, start, end int) token {
	first, _ := utf8.DecodeRuneInString(raw)
	t := token{raw: raw, start: start, end: end, upper: unicode.IsUpper(first)}
	w := normWord(raw)
	t.stems = []string{stemOf(lang, w)}
	if alt := arPreposition(t.stems[0]); alt != "" {
		t.stems = append(t.stems, alt)
	}
	return t
}

// normWord is textnorm's search form, without an English possessive.
func normWord(w string) string {
	n := ""
	if isASCII(w) {
		n = strings.ToLower(w) // what Normalize does to ASCII, without NFKD's cost
	} else {
		n = textnorm.Normalize(w)
	}
	n = strings.TrimSuffix(n, "'s")
	return strings.TrimSuffix(n, "’s")
}

func isArabicWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return r >= 0x0600 && r <= 0x06FF
}

// stemOf removes what Arabic attaches to the front of a word: a
// conjunction (و ف), a preposition before the article (بال كال لل) and the
// article (ال). Both a text's words and the data's keywords go through it.
func stemOf(_ string, w string) string {
	if !isArabicWord(w) {
		return w
	}
	n := utf8.RuneCountInString(w)
	if len(w) > 2 && strings.HasPrefix(w, "و") && w[2] >= '0' && w[2] <= '9' {
		return w[2:] // و74: "and 74"
	}
	if n > 3 && (strings.HasPrefix(w, "و") || strings.HasPrefix(w, "ف")) {
		w, n = w[len("و"):], n-1
	}
	switch {
	case strings.HasPrefix(w, "لل") && n > 3:
		w, n = w[len("ل"):], n-1
	case (strings.HasPrefix(w, "بال") || strings.HasPrefix(w, "كال")) && n > 4:
		w, n = w[len("ب"):], n-1
	}
	if strings.HasPrefix(w, "ال") && n > 3 {
		w = w[len("ال"):]
	}
	return w
}

// arPreposition is w without a leading ب, ل or ك, or "".
func arPreposition(w string) string {
	if !isArabicWord(w) || utf8.RuneCountInString(w) < 4 {
		return ""
	}
	for _, p := range []string{"ب", "ل", "ك"} {
		if strings.HasPrefix(w, p) {
			return w[len(p):]
		}
	}
	return ""
}

func (t token) is(stem string) bool {
	for _, s := range t.stems {
		if s == stem {
			return true
		}
	}
	return false
}

func (t token) in(set map[string]bool) bool {
	for _, s := range t.stems {
		if set[s] {
			return true
		}
	}
	return false
}

// matcher finds keyword phrases of a data file in tokens, longest first.
type matcher struct {
	byFirst map[string][]phrase
	n       int
}

type phrase struct {
	words []string // stems; "#n" matches a number
	value string
}

func newMatcher(lang string, m map[string][]string) *matcher {
	mt := &matcher{byFirst: map[string][]phrase{}}
	for value, ps := range m {
		for _, p := range ps {
			ws := patternWords(lang, p)
			if len(ws) == 0 {
				continue
			}
			mt.byFirst[ws[0]] = append(mt.byFirst[ws[0]], phrase{ws, value})
			mt.n++
		}
	}
	for k, ps := range mt.byFirst {
		sort.SliceStable(ps, func(i, j int) bool {
			if len(ps[i].words) != len(ps[j].words) {
				return len(ps[i].words) > len(ps[j].words)
			}
			return ps[i].value < ps[j].value
		})
		mt.byFirst[k] = ps
	}
	return mt
}

func (m *matcher) empty() bool { return m.n == 0 }

// at returns the longest phrase starting at tokens[i]: its value and
// length in tokens.
func (m *matcher) at(r *rules, toks []token, i int) (string, int, bool) {
	t := toks[i]
	if t.punct {
		return "", 0, false
	}
	var cands []phrase
	for _, s := range t.stems {
		cands = append(cands, m.byFirst[s]...)
	}
	if _, ok := r.number(t); ok {
		cands = append(cands, m.byFirst["#n"]...)
	}
	best, bestLen := "", 0
	for _, p := range cands {
		if len(p.words) <= bestLen || i+len(p.words) > len(toks) {
			continue
		}
		ok := true
		for k, w := range p.words {
			tk := toks[i+k]
			if w == "#n" {
				if _, isNum := r.number(tk); !isNum {
					ok = false
					break
				}
				continue
			}
			if tk.punct || !tk.is(w) {
				ok = false
				break
			}
		}
		if ok {
			best, bestLen = p.value, len(p.words)
		}
	}
	return best, bestLen, bestLen > 0
}

// hit is a phrase found in a sentence's tokens.
type hit struct {
	value    string
	from, to int // token indexes, to exclusive
}

// all finds the phrases in toks left to right, never overlapping.
func (m *matcher) all(r *rules, toks []token) []hit {
	var out []hit
	for i := 0; i < len(toks); {
		if v, n, ok := m.at(r, toks, i); ok {
			out = append(out, hit{v, i, i + n})
			i += n
			continue
		}
		i++
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
