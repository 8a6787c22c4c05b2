package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is one sentence of the report, numbered from 0.
type Sentence struct {
	Index int    `json:"index"`
	Text  string `json:"text"`
}

// splitSentences cuts text at line breaks and at . ! ? ؟ … followed by a
// space, unless the dot ends an abbreviation (data: abbreviations), an
// initial (A.) or a number (3.5).
func splitSentences(r *rules, text string) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		start := 0
		for i, c := range para {
			if c != '.' && c != '!' && c != '?' && c != '؟' && c != '…' && c != '۔' {
				continue
			}
			end := i + utf8.RuneLen(c)
			next, _ := utf8.DecodeRuneInString(para[end:])
			if end < len(para) && !unicode.IsSpace(next) && next != '"' && next != '”' && next != '»' && next != ')' {
				continue // 3.5, U.S., a.m.
			}
			if c == '.' && abbreviation(r, para[start:i]) {
				continue
			}
			// Keep closing quotes with their sentence.
			for end < len(para) {
				q, n := utf8.DecodeRuneInString(para[end:])
				if q != '"' && q != '”' && q != '»' && q != ')' {
					break
				}
				end += n
			}
			if s := strings.TrimSpace(para[start:end]); s != "" {
				out = append(out, s)
			}
			start = end
		}
		if s := strings.TrimSpace(para[start:]); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// abbreviation: the word before a dot is a listed abbreviation or one
// capital letter.
func abbreviation(r *rules, before string) bool {
	i := strings.LastIndexFunc(before, func(c rune) bool { return unicode.IsSpace(c) || c == '(' })
	w := before[i+1:]
	if w == "" {
		return false
	}
	if utf8.RuneCountInString(w) == 1 {
		c, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(c)
	}
	return r.abbrev[strings.ToLower(w)]
}
