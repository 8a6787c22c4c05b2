package names

import (
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// The evaluation pairs are derived once from the CPJ export and kept in
// testdata, so that the evaluation never skips:
//
//	go test ./internal/names/ -run TestEvalPairs -update-pairs ../../../shared/data/real/cpj_killed_1992-2022.csv
var updatePairs = flag.String("update-pairs", "", "CPJ CSV to derive testdata/name_pairs.csv from")

// spellings reads testdata/romanisation.csv: each spelling (lower case,
// hyphens as spaces) to its row, whose first entry is the Arabic.
func spellings(t *testing.T) (map[string][]string, int) {
	rows := readCSV(t, "testdata/romanisation.csv")
	idx := map[string][]string{}
	longest := 1
	for _, row := range rows {
		entry := append([]string{row[0]}, strings.Split(row[1], ";")...)
		for _, s := range entry[1:] {
			k := phraseKey(s)
			if _, dup := idx[k]; !dup {
				idx[k] = entry
			}
			longest = max(longest, len(strings.Fields(k)))
		}
	}
	return idx, longest
}

func phraseKey(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, "-", " "))), " ")
}

// A part is one token or phrase of a name and its spellings (nil when the
// table does not have it).
type part struct {
	text  string
	entry []string // arabic, spellings...
}

func parts(name string, idx map[string][]string, longest int) []part {
	words := strings.Fields(name)
	var out []part
	for i := 0; i < len(words); {
		n := min(longest, len(words)-i)
		for ; n > 0; n-- {
			if e, ok := idx[phraseKey(strings.Join(words[i:i+n], " "))]; ok {
				out = append(out, part{strings.Join(words[i:i+n], " "), e})
				break
			}
		}
		if n == 0 {
			out = append(out, part{words[i], nil})
			n = 1
		}
		i += n
	}
	return out
}

// variant spells every known part with another spelling of its row,
// chosen by seed, never the one the name has.
func variant(ps []part, seed int) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.text
		if p.entry == nil {
			continue
		}
		sp := p.entry[1:]
		for k := 0; k < len(sp); k++ {
			c := sp[(seed+i+k)%len(sp)]
			if phraseKey(c) != phraseKey(p.text) {
				out[i] = c
				break
			}
		}
	}
	return out
}

func arabic(ps []part) (string, bool) {
	var out []string
	for _, p := range ps {
		if p.entry == nil {
			return "", false
		}
		out = append(out, p.entry[0])
	}
	return strings.Join(out, " "), true
}

// cleanName drops CPJ's notes in brackets and stray commas.
func cleanName(s string) string {
	if i := strings.IndexAny(s, "[("); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(strings.Trim(s, " ,"))
}

func derivePairs(t *testing.T, cpj string) [][]string {
	idx, longest := spellings(t)
	f, err := os.Open(cpj)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	seen := map[string]bool{}
	var names []string
	for _, r := range rows[1:] {
		n := cleanName(r[col["fullName"]])
		if r[col["country"]] != "Iraq" || seen[n] || len(strings.Fields(n)) < 2 {
			continue
		}
		seen[n] = true
		names = append(names, n)
	}
	sort.Strings(names)
	out := [][]string{{"label", "how", "a", "b"}}
	for i, n := range names {
		ps := parts(n, idx, longest)
		known := 0
		for _, p := range ps {
			if p.entry != nil {
				known++
			}
		}
		if known == 0 {
			continue // not an Arabic name: the table has none of its tokens
		}
		v := variant(ps, i)
		out = append(out, []string{"same", "spelling", n, strings.Join(v, " ")})
		if a, ok := arabic(ps); ok {
			out = append(out, []string{"same", "arabic", n, a})
		}
		if len(ps) >= 3 {
			short := append(append([]string{}, v[:1]...), v[len(v)-1])
			out = append(out, []string{"same", "no middle name", n, strings.Join(short, " ")})
		}
		if len(ps) >= 2 && i%2 == 0 {
			re := v[len(v)-1] + ", " + strings.Join(v[:len(v)-1], " ")
			out = append(out, []string{"same", "family name first", n, re})
		}
	}
	// Different people sharing a given name or a family name.
	canon := func(p part) string {
		if p.entry != nil {
			return p.entry[0]
		}
		return phraseKey(p.text)
	}
	for i, a := range names {
		pa := parts(a, idx, longest)
		for j, b := range names[i+1:] {
			pb := parts(b, idx, longest)
			shareGiven := canon(pa[0]) == canon(pb[0])
			shareFamily := canon(pa[len(pa)-1]) == canon(pb[len(pb)-1])
			if shareGiven == shareFamily {
				continue // nothing shared, or both (perhaps the same person)
			}
			how := "shared given name"
			if shareFamily {
				how = "shared family name"
			}
			out = append(out, []string{"different", how, a, b})
			if (i+j)%3 == 0 {
				out = append(out, []string{"different", how + ", other spelling", a, strings.Join(variant(pb, j), " ")})
			}
		}
	}
	return out
}

func TestEvalPairs(t *testing.T) {
	if *updatePairs == "" {
		t.Skip("run with -update-pairs CPJ.csv to derive the pairs again")
	}
	pairs := derivePairs(t, *updatePairs)
	f, err := os.Create("testdata/name_pairs.csv")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "# Derived by TestEvalPairs (eval_gen_test.go) from the Committee to Protect Journalists' database export of")
	fmt.Fprintln(f, "# journalists killed 1992-2022 (as published in youyansu/JOURN-124-Final-project; no licence stated), Iraq rows,")
	fmt.Fprintln(f, "# with spellings from testdata/romanisation.csv.")
	w := csv.NewWriter(f)
	w.WriteAll(pairs)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pairs", len(pairs)-1)
}
