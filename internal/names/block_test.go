package names

import (
	"encoding/csv"
	"maps"
	"os"
	"slices"
	"testing"
)

// readCSV reads a test file of rows, # starting a comment.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// evalNames are the names of the labelled pairs (testdata/name_pairs.csv),
// as pairs.
func evalNames(t *testing.T) [][2]string {
	var out [][2]string
	for _, row := range readCSV(t, "testdata/name_pairs.csv")[1:] {
		out = append(out, [2]string{row[2], row[3]})
	}
	return out
}

func shareSig(a, b string) bool {
	sa := Sigs(a)
	for _, s := range Sigs(b) {
		if slices.Contains(sa, s) {
			return true
		}
	}
	return false
}

// TestSigsOfNearKeys: every two keys that score as tokens (one key, or
// near keys) share a signature, over the keys of the evaluation's names
// and edits of them; and keys far apart mostly do not.
func TestSigsOfNearKeys(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range evalNames(t) {
		for _, n := range p {
			for _, tk := range Tokens(n) {
				seen[tk.Key] = true
			}
		}
	}
	near, far, farShared := 0, 0, 0
	check := func(a, b string) {
		switch {
		case a == "" || b == "": // no token has an empty key
		case a == b || nearKeys(a, b):
			near++
			if !shareSig(a, b) {
				t.Fatalf("%q and %q are near keys but share no signature: %v, %v", a, b, Sigs(a), Sigs(b))
			}
		default:
			far++
			if shareSig(a, b) {
				farShared++
			}
		}
	}
	var keys []string
	for k := range seen {
		keys = append(keys, k)
	}
	for i, a := range keys {
		for _, b := range keys[i:] {
			check(a, b)
		}
		// Edits nearKeys allows: a voicing, a leading a, any one edit
		// of a long key (and others it does not).
		check(a, "a"+a)
		for j := range len(a) {
			for _, e := range []string{a[:j] + a[j+1:], a[:j] + "t" + a[j+1:], a[:j] + "x" + a[j+1:], a[:j] + "G" + a[j:]} {
				check(a, e)
			}
		}
	}
	if near < 1000 || far == 0 {
		t.Fatalf("too few pairs: %d near, %d far", near, far)
	}
	if share := float64(farShared) / float64(far); share > 0.02 {
		t.Errorf("%.3f of keys far apart share a signature: the signatures no longer tell keys apart", share)
	}
}

func TestCompanions(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		share bool
	}{
		{"Tahsin Osama", "Tahseen Usama", true},
		{"Tahsin Osama", "تحسين أسامة", true},
		{"Ahmed Kadhim al-Tai", "Ahmad Kazim", true},
		{"Ibrahim Jasim", "Brahim Jassim", true},
		{"Tahsin Osama", "Tahsin Ali", false}, // the given name alone
		{"Ali", "Ali", false},                 // one word: never Similar
	} {
		ca, cb := Companions(c.a), Companions(c.b)
		got := false
		for k, m := range ca {
			got = got || m&cb[k] != 0
		}
		if got != c.share {
			t.Errorf("%q, %q: masks of a shared key overlap %v, want %v (%v, %v)", c.a, c.b, got, c.share, ca, cb)
		}
	}
	if m := Companions("Ali")["l"]; m != 0 {
		t.Errorf("a name of one word has mask %b, want 0", m)
	}
}

// TestCompanionsOfSimilarNames: every pair of the evaluation that scores
// Similar shares a key whose masks overlap, so that blocking by them
// (docs/duplicates.md) loses none; and most pairs that do not, do not.
func TestCompanionsOfSimilarNames(t *testing.T) {
	similar, other, otherKept := 0, 0, 0
	for _, p := range evalNames(t) {
		ca, cb := Companions(p[0]), Companions(p[1])
		if keys := slices.Sorted(maps.Keys(ca)); !slices.Equal(keys, BlockKeys(p[0])) {
			t.Fatalf("%q: Companions has keys %v, BlockKeys %v", p[0], keys, BlockKeys(p[0]))
		}
		kept := false
		for k, m := range ca {
			kept = kept || m&cb[k] != 0
		}
		if Similarity(p[0], p[1]).Score >= Similar {
			similar++
			if !kept {
				t.Errorf("%q ~ %q score Similar but no shared key's masks overlap: %v, %v", p[0], p[1], ca, cb)
			}
		} else {
			other++
			if kept {
				otherKept++
			}
		}
	}
	t.Logf("%d similar pairs, all kept; %d of %d others kept", similar, otherKept, other)
	if similar < 500 {
		t.Fatalf("only %d similar pairs", similar)
	}
}
