// Package searchtext decides the words a record is indexed under and the
// forms a typed word is looked up in, the same for both storage backends
// (docs/search.md): normalised words (package textnorm), the light stems
// of Arabic words (clitics and plural endings off), and for names and
// places their name keys (package names), so that a search for Tahseen
// finds Tahsin and تحسين. English stemming is the backends' own.
package searchtext

import (
	"strings"
	"unicode"

	"github.com/rasd-project/rasd/internal/names"
	"github.com/rasd-project/rasd/internal/textnorm"
)

// KeyPrefix marks a name key among the indexed words: "0nthsn" is the key
// thsn. Both backends' tokenizers keep it one word, and no typed word is
// looked up as it (a typed word is a prefix; a key is matched whole).
const KeyPrefix = "0n"

// minStem is the fewest letters of an Arabic stem worth looking up: a
// shorter one, as a prefix, would find too many words.
const minStem = 3

// An Index collects the words of one record, each once.
type Index struct {
	words []string
	seen  map[string]bool
}

func (x *Index) add(w string) {
	if x.seen == nil {
		x.seen = map[string]bool{}
	}
	if w != "" && !x.seen[w] {
		x.seen[w] = true
		x.words = append(x.words, w)
	}
}

// Text adds the words of free text: each normalised word, and the stem
// of each Arabic one that has another.
func (x *Index) Text(s string) {
	for _, t := range textnorm.Terms(s) {
		x.add(t)
		if st := Stem(t); st != t {
			x.add(st)
		}
	}
}

// Name adds a name or a place name: its words as Text does, and the name
// key of each of its tokens.
func (x *Index) Name(s string) {
	x.Text(s)
	for _, tk := range names.Tokens(s) {
		if len(tk.Key) >= 2 {
			x.add(KeyPrefix + tk.Key)
		}
	}
}

// String is the indexed text: the words, separated by spaces.
func (x *Index) String() string { return strings.Join(x.words, " ") }

// A Term is one typed word and the forms it is looked up in.
type Term struct {
	Word string // normalised, matched as a prefix
	Stem string // its Arabic stem, also a prefix; "" when it has none
	Key  string // its name key, with KeyPrefix, matched whole; "" when too short
}

// Prefixes are the forms matched as prefixes.
func (t Term) Prefixes() []string {
	if t.Stem == "" {
		return []string{t.Word}
	}
	return []string{t.Word, t.Stem}
}

// Lookup returns the forms a normalised word (one of textnorm.Terms) is
// looked up in.
func Lookup(word string) Term {
	t := Term{Word: word}
	if st := Stem(word); st != word {
		t.Stem = st
	}
	if tk := names.Tokens(word); len(tk) == 1 && len(tk[0].Key) >= 2 {
		t.Key = KeyPrefix + tk[0].Key
	}
	return t
}

// Matches tells whether a word of a text shown is one the term finds, for
// highlighting: by prefix, stem, or name key.
func (t Term) Matches(word string) bool {
	n := textnorm.Normalize(word)
	for _, p := range t.Prefixes() {
		if strings.HasPrefix(n, p) || strings.HasPrefix(Stem(n), p) {
			return true
		}
	}
	if t.Key == "" {
		return false
	}
	for _, tk := range names.Tokens(word) {
		if KeyPrefix+tk.Key == t.Key {
			return true
		}
	}
	return false
}

// Stem returns the light stem of a normalised Arabic word: without a
// leading article or conjunction and preposition (وال بال كال فال لل ال,
// then و ب ل ف ك before four letters or more), and without a plural or
// feminine ending (ين ون ات, and ه before four letters or more), when at
// least minStem letters remain. Other words are returned as they
// are.
func Stem(w string) string {
	rs := []rune(w)
	if len(rs) == 0 || !unicode.Is(unicode.Arabic, rs[0]) {
		return w
	}
	cut := false
	for _, p := range []string{"وال", "بال", "كال", "فال", "لل", "ال"} {
		if pr := []rune(p); len(rs)-len(pr) >= minStem && string(rs[:len(pr)]) == p {
			rs, cut = rs[len(pr):], true
			break
		}
	}
	if !cut && len(rs)-1 >= minStem+1 && strings.ContainsRune("وبلفك", rs[0]) {
		rs = rs[1:]
	}
	for _, s := range []string{"ين", "ون", "ات", "ه"} {
		least := minStem
		if s == "ه" {
			least++ // بصره stays: بصر* would find every بصري
		}
		if sr := []rune(s); len(rs)-len(sr) >= least && string(rs[len(rs)-len(sr):]) == s {
			rs = rs[:len(rs)-len(sr)]
			break
		}
	}
	return string(rs)
}
