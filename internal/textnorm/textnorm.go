// Package textnorm normalises text for full-text search, so that the
// spellings people actually type find each other: Arabic hamza and alef
// forms fold to bare alef (أ إ آ ٱ → ا), taa marbuta to haa (ة → ه), alef
// maqsura to yaa (ى → ي), diacritics (tashkeel) and tatweel are removed,
// Arabic-Indic digits become ASCII digits, and Latin letters are lower-cased
// with accents removed. The same function runs before indexing and on every
// query, in both storage backends. It also keeps Unicode's invisible
// direction controls in check (bidi.go).
package textnorm

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns the search form of s.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	// Invalid bytes are dropped rather than indexed, and before NFKD: next
	// to one, NFKD may leave the following character composed, and the
	// result would change when normalised again (found by FuzzNormalize).
	s = strings.ToValidUTF8(s, "")
	// NFKD splits Latin accents into base + combining mark (dropped below)
	// and Arabic presentation forms into their base letters.
	s = norm.NFKD.String(s)
	for _, r := range s {
		if out, keep := fold(r); keep {
			b.WriteRune(out)
		}
	}
	return b.String()
}

// fold maps one rune of NFKD-decomposed text. Decomposition has already
// split the hamza and madda forms (أ إ آ ؤ ئ) into their base letter and
// a combining mark, dropped with the tashkeel: only the letters that do
// not decompose need a case here.
func fold(r rune) (rune, bool) {
	switch {
	case r == 'ٱ' || r == 'ٲ' || r == 'ٳ': // wasla, wavy hamza above and below
		return 'ا', true
	case r == 'ة':
		return 'ه', true
	case r == 'ى' || r == 'ی': // alef maqsura, Farsi yeh
		return 'ي', true
	case r == 'ک': // Farsi keheh, common in Kurdish-keyboard Arabic
		return 'ك', true
	case r == 'ـ': // tatweel
		return 0, false
	case r >= '\u064B' && r <= '\u065F', r == '\u0670', r >= '\u06D6' && r <= '\u06ED':
		return 0, false // tashkeel, superscript alef, Quranic marks
	case r >= '٠' && r <= '٩':
		return '0' + (r - '٠'), true
	case r >= '۰' && r <= '۹':
		return '0' + (r - '۰'), true
	case unicode.Is(unicode.Mn, r):
		return 0, false // other combining marks (Latin accents after NFKD)
	case r == '\u200c' || r == '\u200d' || r == '\u200e' || r == '\u200f' || r == '\ufeff':
		return 0, false // joiners, direction marks, BOM
	}
	return unicode.ToLower(r), true
}

// Terms splits normalised text into search terms: runs of letters and
// digits. Punctuation and query syntax never reach a query engine.
func Terms(s string) []string {
	return strings.FieldsFunc(Normalize(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
