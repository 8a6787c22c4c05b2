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

// Companions are, for each key of BlockKeys(ns...), a mask of the keys
// of the tokens that share a name with a token of that key: the
// signatures (Sigs) of every other token of those names, each a bit of
// 63. Two names scoring Similar pair two of their tokens by one key and
// two more tokens by one key or near keys (docs/names.md, "Blocking"),
// which share a signature: so two incidents whose victims are alike hold
// one key whose masks share a bit. A key found only in names of one token
// has mask 0: such a name is never Similar.
func Companions(ns ...string) map[string]int64 {
	out := map[string]int64{}
	for _, n := range ns {
		ts := Tokens(n)
		for i, t := range ts {
			m := out[t.Key]
			for j, u := range ts {
				if j != i {
					for _, s := range Sigs(u.Key) {
						m |= sigBit(s)
					}
				}
			}
			out[t.Key] = m
		}
	}
	return out
}

// Sigs are the signatures of a key: two keys that are equal or near
// (nearKeys) share one. They are the key with the voicings nearKeys
// allows folded into one letter (d t j g k G; s x), that form without a
// leading a, and, for keys of five letters or more, that form with each
// letter left out in turn (one edit between two such keys leaves the
// same key out of both).
func Sigs(key string) []string {
	k := []rune(key)
	for i, r := range k {
		switch r {
		case 't', 'j', 'g', 'k', 'G':
			k[i] = 'd'
		case 'x':
			k[i] = 's'
		}
	}
	out := []string{string(k)}
	if len(k) > 1 && k[0] == 'a' {
		out = append(out, string(k[1:]))
	}
	if len(k) >= 5 {
		for i := range k {
			out = append(out, string(k[:i])+string(k[i+1:]))
		}
	}
	return out
}

// sigBit is signature s's bit of a Companions mask (FNV-1a, of 63 bits
// so that a mask is a positive integer in either database).
func sigBit(s string) int64 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return 1 << (h % 63)
}
