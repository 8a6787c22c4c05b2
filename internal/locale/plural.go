package locale

import (
	"slices"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// categoryOrder is CLDR's order of the plural categories.
var categoryOrder = []string{"zero", "one", "two", "few", "many", "other"}

var formNames = map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two",
	plural.Few: "few", plural.Many: "many", plural.Other: "other"}

// Plural is the CLDR plural category of the integer n in code ("one",
// "few", …), by golang.org/x/text's rules.
func Plural(code string, n int) string {
	return pluralOf(Get(code).tag, n)
}

func pluralOf(tag language.Tag, n int) string {
	if n < 0 {
		n = -n
	}
	return formNames[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)]
}

// Categories lists the plural categories code's integers fall in, in
// CLDR's order: the forms a plural message needs.
func Categories(code string) []string { return slices.Clone(Get(code).plurals) }

// categories finds the categories from the rules themselves, as those of
// the integers below 1000 (enough for the table's languages: the tests
// check each; French's "many", for millions, would need more).
func categories(tag language.Tag) []string {
	seen := map[string]bool{}
	for n := range 1000 {
		seen[pluralOf(tag, n)] = true
	}
	var out []string
	for _, c := range categoryOrder {
		if seen[c] {
			out = append(out, c)
		}
	}
	return out
}
