package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/textnorm"
)

// FuzzSearch runs arbitrary queries through every search of a store made
// by open, which holds the fixture incident: the query builder (terms,
// quoting, the full-text dialect) must never fail or panic, and a query
// is refused as too long only when it is over store.MaxQueryTerms
// distinct words or store.MaxQueryLen characters, and as having no words
// only when it is not blank and has no term. Each backend's tests
// call it from a FuzzSearch target.
func FuzzSearch(f *testing.F, open func(testing.TB) store.Store) {
	for _, q := range []string{"amjad", "أمجد الدهامات", `a" OR b`, `NEAR(x y)`, `*`, `"`, `'; DROP TABLE incidents; --`,
		`amjad OR`, `body:amjad`, `a & b | !c`, `:*`, `\`, "", "nasiri police", "0 1 2", "ال", "\u202eamjad",
		"a\x00b", "\xff\xfe", words(store.MaxQueryTerms), words(store.MaxQueryTerms + 1), words(160),
		strings.Repeat("ن", store.MaxQueryLen+1), strings.Repeat("a ", 200)} {
		f.Add(q)
	}
	ctx := context.Background()
	s := open(f)
	inc := Incident()
	if err := s.CreateIncident(ctx, "tester", &inc); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		distinct := map[string]bool{}
		for _, term := range textnorm.Terms(q) {
			distinct[term] = true
		}
		over := len(distinct) > store.MaxQueryTerms || utf8.RuneCountInString(q) > store.MaxQueryLen
		noWords := !over && len(distinct) == 0 && strings.TrimSpace(q) != ""
		for name, search := range searches(s) {
			err := search(ctx, q)
			switch {
			case errors.Is(err, store.ErrQueryTooLong) && !over:
				t.Fatalf("%s(%q): refused as too long at %d words, %d characters", name, q, len(distinct), utf8.RuneCountInString(q))
			case err == nil && over:
				t.Fatalf("%s(%q): %d words, %d characters accepted", name, q, len(distinct), utf8.RuneCountInString(q))
			case errors.Is(err, store.ErrQueryNoWords) != noWords:
				t.Fatalf("%s(%q): %v, want ErrQueryNoWords: %v", name, q, err, noWords)
			case err != nil && !errors.Is(err, store.ErrQueryTooLong) && !errors.Is(err, store.ErrQueryNoWords):
				t.Fatalf("%s(%q): %v", name, q, err)
			}
		}
	})
}
