package names

import (
	"fmt"
	"strings"
)

// A Match is the score of two names and why (docs/names.md, "Similarity").
type Match struct {
	Score   float64  // 0 (nothing shared) to 1 (the same tokens)
	Reasons []string // one line per token of the shorter name, in English
}

// Similar is the score from which two names are proposed as possibly the
// same person; the evaluation (names_eval_test.go) measures it.
const Similar = 0.8

// Similarity compares two full names token by token, tolerating reordered
// tokens (family name first) and tokens missing from either (a father's or
// grandfather's name left out).
func Similarity(a, b string) Match {
	return Compare(Tokens(a), Tokens(b))
}

// Compare is Similarity over tokens already split.
func Compare(ta, tb []Token) Match {
	if len(ta) == 0 || len(tb) == 0 {
		return Match{}
	}
	short, long := ta, tb
	if len(short) > len(long) {
		short, long = long, short
	}
	// Greedy assignment of the most similar pairs first: names have a few
	// tokens, and the best pair is almost always right.
	used := make([]bool, len(long))
	done := make([]bool, len(short))
	var sum float64
	var reasons []string
	for range short {
		bi, bj, best := -1, -1, 0.0
		for i, s := range short {
			if done[i] {
				continue
			}
			for j, l := range long {
				if !used[j] {
					if v := tokenScore(s, l); v > best {
						bi, bj, best = i, j, v
					}
				}
			}
		}
		if bi < 0 {
			break
		}
		done[bi], used[bj] = true, true
		sum += best
		reasons = append(reasons, reason(short[bi], long[bj], best, bi, bj))
	}
	for i, d := range done {
		if !d {
			reasons = append(reasons, fmt.Sprintf("%q has no counterpart", short[i].Text))
		}
	}
	// A token of the longer name with no counterpart costs 0.15 of a
	// matched one: the shorter name may simply leave out a middle name.
	extra := float64(len(long) - len(short))
	score := sum / (float64(len(short)) + 0.15*extra)
	// A name of one token is weak evidence, however well it matches.
	if len(short) == 1 {
		score *= 0.7
	}
	// The given names (first tokens) of two names in the same order must
	// agree: different people share family names.
	if positionsAgreeFamilyOnly(ta, tb) {
		score *= 0.6
		reasons = append(reasons, "the given names differ")
	}
	return Match{Score: score, Reasons: reasons}
}

// positionsAgreeFamilyOnly is true when the first tokens differ while the
// last ones match: the same family, another person.
func positionsAgreeFamilyOnly(a, b []Token) bool {
	if len(a) < 2 || len(b) < 2 {
		return false
	}
	firstSame := tokenScore(a[0], b[0]) >= 0.75
	lastSame := tokenScore(a[len(a)-1], b[len(b)-1]) >= 0.75
	// Reordered (family name first in one of them): no verdict.
	crossed := tokenScore(a[0], b[len(b)-1]) >= 0.75 || tokenScore(a[len(a)-1], b[0]) >= 0.75
	return !firstSame && lastSame && !crossed
}

func reason(a, b Token, v float64, i, j int) string {
	how := "same key " + a.Key
	switch {
	case a.Text == b.Text:
		how = "same spelling"
	case v < 1 && a.Key == b.Key:
		how = "same key " + a.Key + ", other vowels"
	case a.Key != b.Key:
		how = fmt.Sprintf("keys %s and %s are close", a.Key, b.Key)
	}
	pos := ""
	if i != j {
		pos = ", another position"
	}
	return fmt.Sprintf("%q ~ %q (%s%s)", a.Text, b.Text, how, pos)
}

// tokenScore compares two tokens: 1 for one key (with compatible vowels
// when both are Latin), less for keys one edit apart, else 0.
func tokenScore(a, b Token) float64 {
	if a.Key == b.Key {
		if isArabic(a.Text) || isArabic(b.Text) || a.Key == "mhmd" {
			return 1
		}
		d := vowelDistance(vowels(a.Text), vowels(b.Text))
		switch {
		case d == 0:
			return 1
		case d <= 0.5:
			return 0.9 // a vowel more or less (Harb, Harib; Malki, Maliki)
		case d <= 1 && len(a.Key) <= 3 && len(vowels(a.Text)) <= 2:
			return 0.5 // a short name is mostly its vowels (Ali, Alaa; Omar, Ammar)
		case d <= 1:
			return 0.85
		default:
			return 0.3 // Hussein, Hassan
		}
	}
	if nearKeys(a.Key, b.Key) {
		return 0.75
	}
	return 0
}

// nearKeys: keys one edit apart, where the edit is a voicing or a French
// or Turkish spelling (d/t, s/x, k/G) or a leading vowel (Brahim,
// Ibrahim); in keys of five letters or more, any one edit. A free edit in
// a short key is another name (Ahmed, Mohammed).
func nearKeys(a, b string) bool {
	if len(a) == len(b) {
		diff := -1
		for i := range a {
			if a[i] != b[i] {
				if diff >= 0 {
					return false
				}
				diff = i
			}
		}
		if diff < 0 {
			return true
		}
		return len(a) >= 5 || close[[2]byte{min(a[diff], b[diff]), max(a[diff], b[diff])}]
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b) != len(a)+1 {
		return false
	}
	if b[0] == 'a' && b[1:] == a {
		return true
	}
	return len(b) >= 5 && levenshtein(a, b) == 1
}

var close = map[[2]byte]bool{{'d', 't'}: true, {'s', 'x'}: true, {'G', 'k'}: true, {'G', 'g'}: true, {'g', 'j'}: true, {'g', 'k'}: true, {'d', 'j'}: true}

// vowels is the sequence of vowel groups of a Latin token, each reduced
// to its class: I (i, y, ee, ai, ei, and ae: Raed, Ra'id), U (o, u, ou, aw), A, or E, which
// matches any (docs/names.md).
func vowels(t string) string {
	var b strings.Builder
	group := ""
	end := func() {
		switch {
		case group == "":
		case strings.ContainsAny(group, "iy") || strings.Contains(group, "ee") || group == "ae":
			b.WriteByte('I')
		case strings.ContainsAny(group, "ouw"):
			b.WriteByte('U')
		case strings.ContainsRune(group, 'a'):
			b.WriteByte('A')
		default:
			b.WriteByte('E')
		}
		group = ""
	}
	for i, r := range t {
		if isMark(r) && group != "" {
			continue // ayn inside a vowel (Rubai'i, Isma'il)
		}
		if latinVowel(r) && r != '\'' && !(i == 0 && (r == 'y' || r == 'w')) {
			group += string(r)
			continue
		}
		end()
	}
	end()
	return b.String()
}

// vowelDistance is the edit distance of two vowel sequences: a
// substitution costs 1 (none with E, which matches every class), a vowel
// more or less 0.5, an E more or less nothing (a French final e).
func vowelDistance(a, b string) float64 {
	indel := func(c byte) float64 {
		if c == 'E' {
			return 0
		}
		return 0.5
	}
	prev := make([]float64, len(b)+1)
	cur := make([]float64, len(b)+1)
	for j := 1; j <= len(b); j++ {
		prev[j] = prev[j-1] + indel(b[j-1])
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = prev[0] + indel(a[i-1])
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if x, y := a[i-1], b[j-1]; x != y && x != 'E' && y != 'E' {
				sub++
			}
			cur[j] = min(sub, prev[j]+indel(a[i-1]), cur[j-1]+indel(b[j-1]))
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func levenshtein(a, b string) int {
	return editDistance([]rune(a), []rune(b), func(x, y rune) bool { return x == y })
}

func editDistance(a, b []rune, eq func(x, y rune) bool) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if !eq(a[i-1], b[j-1]) {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
