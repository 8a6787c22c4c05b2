package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/searchtext"
	"github.com/rasd-project/rasd/internal/textnorm"
)

// A search is bounded. Each term becomes a clause of the full-text query,
// and SQLite's FTS5, as the embedded driver runs it, corrupts its memory
// and panics from about 150 prefix terms joined by AND (and the SQL parser
// refuses 300: "expression tree is too large"). No one types more than a
// few words to find a record.
const (
	MaxQueryTerms = 32  // distinct words
	MaxQueryLen   = 500 // characters
)

// ErrQueryNoWords is returned by every search given a query that is not
// blank but has no letter or digit: only punctuation or only diacritics.
var ErrQueryNoWords = errors.New("the search has no letters or digits: type a word, a name, a place or a number")

// ErrQueryTooLong is returned by every search given a query over the limits.
var ErrQueryTooLong = fmt.Errorf("the search is too long: use at most %d words and %d characters", MaxQueryTerms, MaxQueryLen)

// QueryTerms are the search terms of query (textnorm.Terms, each once, in
// order, with the forms searchtext.Lookup gives), ErrQueryTooLong, or
// ErrQueryNoWords. A blank query has no terms and no error. Every store
// search reads its query through it.
func QueryTerms(query string) ([]searchtext.Term, error) {
	if utf8.RuneCountInString(query) > MaxQueryLen {
		return nil, ErrQueryTooLong
	}
	var words []string
	for _, t := range textnorm.Terms(query) {
		if !slices.Contains(words, t) {
			if len(words) == MaxQueryTerms {
				return nil, ErrQueryTooLong
			}
			words = append(words, t)
		}
	}
	if len(words) == 0 && strings.TrimSpace(query) != "" {
		return nil, ErrQueryNoWords
	}
	out := make([]searchtext.Term, len(words))
	for i, w := range words {
		out[i] = searchtext.Lookup(w)
	}
	return out, nil
}
