// Package names compares personal names across spellings and scripts: the
// Latin transliterations of one Arabic name, and the Arabic script itself,
// reduce to one key per name token, and Similarity scores two full names
// over their tokens. The rules are written in docs/names.md.
package names

import (
	"strings"
	"unicode"

	"github.com/rasd-project/rasd/internal/textnorm"
)

// Key returns the comparison key of one name token, Latin or Arabic
// (docs/names.md, "The key"): its consonant skeleton, with "a" for a
// leading vowel, ayn or hamza. Tokens of one name in different spellings
// or scripts share it. A token with no letter has the key "".
func Key(token string) string {
	t := textnorm.Normalize(token)
	if isArabic(t) {
		return arabicKey(t)
	}
	return latinKey(t)
}

func isArabic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// latinDigraphs are replaced before single letters: each is one Arabic
// consonant (kh خ, th ث, dh ذ/ض, gh غ, sh/ch ش, ph ف).
// dj is the French spelling of j (Djamel), mb of nb (Anbar, Ambar); gh
// becomes G, kept apart from g, which is the Egyptian j (Gamal) and the
// Iraqi q (Gassim): both are near g (similarity.go).
var latinDigraphs = strings.NewReplacer("kh", "h", "th", "t", "dh", "d", "gh", "G", "sh", "x", "ch", "x", "ph", "f", "dj", "j", "mb", "nb")

// latinLetters maps the consonants that vary: q/k, z/d, c/k (French and
// English spellings); the Arabizi digits for ayn (3), hamza (2), ha (7),
// kha (5), ta (6) and sad (9).
var latinLetters = map[rune]rune{'q': 'k', 'c': 'k', 'z': 'd', 'v': 'f', 'p': 'b', '7': 'h', '5': 'h', '6': 't', '9': 's', '3': '\'', '2': '\''}

func latinVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'w', '\'':
		return true
	}
	return false
}

// latinKey reduces a normalised Latin token (docs/names.md).
func latinKey(t string) string {
	var letters []rune
	for _, r := range t {
		switch {
		case isMark(r):
			letters = append(letters, '\'') // kept, so that Is'haq keeps its s and h apart
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			letters = append(letters, r)
		}
	}
	if strings.Trim(string(letters), "'") == "" {
		return ""
	}
	s := collapse(string(letters))
	if k, ok := muhammad[s]; ok {
		return k
	}
	// French ou before a vowel is w (Oualid, Ouissam).
	if len(s) > 2 && strings.HasPrefix(s, "ou") && latinVowel(rune(s[2])) {
		s = "w" + s[2:]
	}
	s = latinDigraphs.Replace(s)
	rs := []rune(s)
	for i, r := range rs {
		if m, ok := latinLetters[r]; ok {
			rs[i] = m
		}
	}
	// A final h after a vowel is the taa marbuta or a silent h (Fatimah).
	if n := len(rs); n >= 2 && rs[n-1] == 'h' && latinVowel(rs[n-2]) {
		rs = rs[:n-1]
	}
	var b strings.Builder
	for i, r := range rs {
		switch {
		case i == 0 && (r == 'y' || r == 'w'):
			b.WriteRune(r) // a leading y or w is a consonant (Yusuf, Walid)
		case i == 0 && latinVowel(r):
			b.WriteByte('a')
		case latinVowel(r) || unicode.IsDigit(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isMark tells the apostrophes and the signs for ayn and hamza.
func isMark(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʿ', 'ʾ', '`', '´', 'ʼ', 'ʻ':
		return true
	}
	return false
}

// muhammad is the Mohammed family and its abbreviations, spelled out.
var muhammad = map[string]string{"mohd": "mhmd", "md": "mhmd", "mhd": "mhmd"}

// collapse writes each run of one letter once (Hussein → Husein).
func collapse(s string) string {
	var b strings.Builder
	var last rune = -1
	for _, r := range s {
		if r != last {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

// arabicLetters maps the Arabic consonants into the Latin key's letters,
// merging those the Latin spellings merge (docs/names.md).
var arabicLetters = map[rune]rune{
	'ب': 'b', 'ت': 't', 'ث': 't', 'ج': 'j', 'ح': 'h', 'خ': 'h', 'د': 'd', 'ذ': 'd', 'ر': 'r', 'ز': 'd',
	'س': 's', 'ش': 'x', 'ص': 's', 'ض': 'd', 'ط': 't', 'ظ': 'd', 'غ': 'G', 'ف': 'f', 'ق': 'k', 'ك': 'k',
	'ل': 'l', 'م': 'm', 'ن': 'n', 'ه': 'h', 'پ': 'b', 'چ': 'x', 'ژ': 'j', 'گ': 'g', 'ڤ': 'f',
}

// arabicVowel: the long vowels and weak letters, ayn and hamza, which the
// Latin spellings write as vowels, apostrophes or nothing.
func arabicVowel(r rune) bool {
	switch r {
	case 'ا', 'و', 'ي', 'ع', 'ء':
		return true
	}
	return false
}

// arabicKey romanises a normalised Arabic token into the key space.
func arabicKey(t string) string {
	var rs []rune
	for _, r := range t {
		if _, ok := arabicLetters[r]; ok || arabicVowel(r) {
			rs = append(rs, r)
		}
	}
	if n := len(rs); n >= 2 && (rs[n-1] == 'ه' || rs[n-1] == 'ح' || rs[n-1] == 'خ') {
		rs = rs[:n-1] // the taa marbuta (folded to ه) and a final h, as in Latin
	}
	rs = []rune(collapse(string(rs))) // الله: the doubled lam, as Latin ll
	var b strings.Builder
	for i, r := range rs {
		switch {
		case i == 0 && r == 'و':
			b.WriteByte('w')
		case i == 0 && r == 'ي':
			b.WriteByte('y')
		case i == 0 && arabicVowel(r):
			b.WriteByte('a')
		case arabicVowel(r):
		default:
			b.WriteRune(arabicLetters[r])
		}
	}
	return b.String()
}
