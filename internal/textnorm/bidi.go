package textnorm

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Unicode's explicit direction controls: embeddings and overrides
// (U+202A–U+202E) and isolates (U+2066–U+2069). They are invisible and
// reorder what follows them: "statement\u202efdp.bat" shows as
// "statementtab.pdf". Single-line fields refuse them (BidiControl) and
// file names lose them (StripBidi); text of several paragraphs keeps
// them, balanced (BalanceBidi). The marks U+200E, U+200F and U+061C only
// set the direction of neutral characters, and are not counted.
var bidiNames = map[rune]string{
	'\u202a': "LEFT-TO-RIGHT EMBEDDING", '\u202b': "RIGHT-TO-LEFT EMBEDDING", '\u202c': "POP DIRECTIONAL FORMATTING",
	'\u202d': "LEFT-TO-RIGHT OVERRIDE", '\u202e': "RIGHT-TO-LEFT OVERRIDE", '\u2066': "LEFT-TO-RIGHT ISOLATE",
	'\u2067': "RIGHT-TO-LEFT ISOLATE", '\u2068': "FIRST STRONG ISOLATE", '\u2069': "POP DIRECTIONAL ISOLATE",
}

// IsBidiControl reports whether r is an embedding, override or isolate
// control, or one that ends them.
func IsBidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// BidiControl returns the first direction control in s, if any.
func BidiControl(s string) (rune, bool) {
	if i := strings.IndexFunc(s, IsBidiControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return r, true
	}
	return 0, false
}

// BidiName names a direction control for people: "U+202E (RIGHT-TO-LEFT
// OVERRIDE)".
func BidiName(r rune) string { return fmt.Sprintf("%U (%s)", r, bidiNames[r]) }

// StripBidi removes every direction control from s.
func StripBidi(s string) string {
	if _, ok := BidiControl(s); !ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if IsBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

// ParagraphSeparator reports whether r ends a paragraph for the Unicode
// bidirectional algorithm (class B), which resets every control.
func ParagraphSeparator(r rune) bool {
	switch r {
	case '\n', '\r', '\x1c', '\x1d', '\x1e', '\u0085', '\u2029':
		return true
	}
	return false
}

const popEmbedding, popIsolate = "\u202c", "\u2069"

// BalanceBidi makes every paragraph of s close the embeddings, overrides
// and isolates it opens, and drops the closers that close nothing (or
// would close past an isolate), as the bidirectional algorithm pairs
// them. Shown in a page, such text cannot reorder anything after its own
// paragraph, whatever element holds it. Everything else, invalid UTF-8
// included, is left as it was.
func BalanceBidi(s string) string {
	if _, ok := BidiControl(s); !ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	var open []rune // the openers in force, innermost last
	closeTo := func(n int) {
		for len(open) > n {
			if r := open[len(open)-1]; r >= '\u2066' {
				b.WriteString(popIsolate)
			} else {
				b.WriteString(popEmbedding)
			}
			open = open[:len(open)-1]
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case ParagraphSeparator(r):
			closeTo(0)
		case r == '\u202c':
			if len(open) == 0 || open[len(open)-1] >= '\u2066' {
				i += size
				continue
			}
			open = open[:len(open)-1]
		case r == '\u2069':
			last := -1
			for j, o := range open {
				if o >= '\u2066' {
					last = j
				}
			}
			if last < 0 {
				i += size
				continue
			}
			closeTo(last + 1) // the embeddings inside the isolate end with it
			open = open[:last]
		case IsBidiControl(r):
			open = append(open, r)
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	closeTo(0)
	return b.String()
}
