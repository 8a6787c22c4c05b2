package names

import "slices"

// BlockKeys are the distinct keys of the tokens of names. Two names that
// share none score below Similar: a token pair without one key scores
// 0.75 at most (docs/names.md, "Similarity"), so a match needs one pair
// of the same key. Duplicate detection looks incidents up by them
// (docs/duplicates.md).
func BlockKeys(ns ...string) []string {
	var out []string
	for _, n := range ns {
		for _, t := range Tokens(n) {
			if !slices.Contains(out, t.Key) {
				out = append(out, t.Key)
			}
		}
	}
	slices.Sort(out)
	return out
}
