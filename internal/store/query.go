package store

import (
	"fmt"
	"slices"
	"unicode/utf8"

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

// ErrQueryTooLong is returned by every search given a query over the limits.
var ErrQueryTooLong = fmt.Errorf("the search is too long: use at most %d words and %d characters", MaxQueryTerms, MaxQueryLen)

// QueryTerms are the search terms of query (textnorm.Terms, each once, in
// order), or ErrQueryTooLong. Every store search reads its query through it.
func QueryTerms(query string) ([]string, error) {
	if utf8.RuneCountInString(query) > MaxQueryLen {
		return nil, ErrQueryTooLong
	}
	var out []string
	for _, t := range textnorm.Terms(query) {
		if !slices.Contains(out, t) {
			if len(out) == MaxQueryTerms {
				return nil, ErrQueryTooLong
			}
			out = append(out, t)
		}
	}
	return out, nil
}
