package vocab

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/rasd-project/rasd/internal/textnorm"
)

// Other spellings of governorates, one file per country (alias,code), so
// that outside data (ACLED, UCDP) maps onto gazetteer codes.
//
//go:embed data/gazetteer-aliases/*.csv
var aliasFiles embed.FS

// Built on first use: package init order would otherwise depend on file
// names, and the gazetteers must be loaded first.
var admin1Index = sync.OnceValue(func() map[string]map[string]string {
	idx, err := buildAdmin1Index()
	if err != nil {
		panic("vocab: embedded " + err.Error())
	}
	return idx
})

// Admin1ByName finds a governorate of country (ISO 3166-1 alpha-2; "" for
// any) by its code, English or Arabic name, or a listed alias. Case,
// accents, hyphens, apostrophes, a leading article ("Al", "An"…) and a
// trailing "province" or "governorate" do not matter.
func Admin1ByName(country, name string) (Place, bool) {
	key := placeKey(name)
	if key == "" {
		return Place{}, false
	}
	for c, byName := range admin1Index() {
		if country != "" && c != country {
			continue
		}
		if code, ok := byName[key]; ok {
			return gazetteers[c].Lookup(code)
		}
	}
	return Place{}, false
}

func buildAdmin1Index() (map[string]map[string]string, error) {
	idx := map[string]map[string]string{}
	for c, g := range gazetteers {
		byName := map[string]string{}
		for _, p := range g.Governorates() {
			for _, n := range []string{p.Code, p.EN, p.AR} {
				if err := addAlias(byName, n, p.Code); err != nil {
					return nil, fmt.Errorf("gazetteer %s: %w", c, err)
				}
			}
		}
		idx[c] = byName
	}
	entries, err := aliasFiles.ReadDir("data/gazetteer-aliases")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		c := strings.TrimSuffix(e.Name(), ".csv")
		g, byName := gazetteers[c], idx[c]
		if g == nil {
			return nil, fmt.Errorf("gazetteer aliases %s: no gazetteer for %s", e.Name(), c)
		}
		f, err := aliasFiles.Open("data/gazetteer-aliases/" + e.Name())
		if err != nil {
			return nil, err
		}
		err = loadAliases(f, g, byName)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("gazetteer aliases %s: %w", c, err)
		}
	}
	return idx, nil
}

func loadAliases(r io.Reader, g *Gazetteer, byName map[string]string) error {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = 2
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if n == 0 {
			continue // header
		}
		line, _ := cr.FieldPos(0)
		if p, ok := g.Lookup(rec[1]); !ok || p.Level != 1 {
			return fmt.Errorf("line %d: %q is not a governorate code", line, rec[1])
		}
		if err := addAlias(byName, rec[0], rec[1]); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
}

func addAlias(byName map[string]string, name, code string) error {
	key := placeKey(name)
	if key == "" {
		return fmt.Errorf("empty alias for %s", code)
	}
	if old, ok := byName[key]; ok && old != code {
		return fmt.Errorf("%q would mean both %s and %s", name, old, code)
	}
	byName[key] = code
	return nil
}

var (
	articles = []string{"al ", "an ", "as ", "at ", "ad ", "ar ", "az ", "el "}
	suffixes = []string{" province", " governorate", " muhafazah", " muhafazat"}
)

// placeKey folds a place name to the form aliases are matched in.
func placeKey(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', '.', ',', '/', '\t':
			return ' '
		case '\'', '’', '‘', 'ʼ', 'ʿ', 'ʾ', '`', '´':
			return -1
		}
		return r
	}, textnorm.Normalize(s))
	s = strings.Join(strings.Fields(s), " ")
	s = strings.TrimPrefix(s, "محافظه ")
	for _, suf := range suffixes {
		s = strings.TrimSuffix(s, suf)
	}
	for _, a := range articles {
		if rest, ok := strings.CutPrefix(s, a); ok && rest != "" {
			s = rest
			break
		}
	}
	return s
}

// aliasesByCode are the listed other spellings of each governorate, by
// country and code, as written in the alias files.
var aliasesByCode = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	entries, err := aliasFiles.ReadDir("data/gazetteer-aliases")
	if err != nil {
		panic("vocab: embedded " + err.Error())
	}
	for _, e := range entries {
		c := strings.TrimSuffix(e.Name(), ".csv")
		f, err := aliasFiles.Open("data/gazetteer-aliases/" + e.Name())
		if err != nil {
			panic("vocab: embedded " + err.Error())
		}
		cr := csv.NewReader(f)
		cr.Comment = '#'
		rows, err := cr.ReadAll()
		f.Close()
		if err != nil {
			panic("vocab: embedded " + err.Error())
		}
		for _, r := range rows[1:] {
			out[c+"/"+r[1]] = append(out[c+"/"+r[1]], r[0])
		}
	}
	return out
})

// PlaceNames are every name of a place of country's gazetteer, by its
// code: English, Arabic, its labels in the other languages, and the
// listed other spellings of a governorate. Search indexes them all, so
// that a query in one script finds records written in the other.
func PlaceNames(country, code string) []string {
	g := gazetteers[country]
	if g == nil {
		return nil
	}
	p, ok := g.Lookup(code)
	if !ok {
		return nil
	}
	out := []string{p.EN, p.AR}
	for _, lang := range labelLanguages() {
		if l, ok := p.LabelIn(lang); ok {
			out = append(out, l)
		}
	}
	return append(out, aliasesByCode()[country+"/"+p.Code]...)
}

// TermNames are a vocabulary term's labels in every language.
func TermNames(vocabulary, code string) []string {
	t, ok := Get(vocabulary).Lookup(code)
	if !ok {
		return nil
	}
	out := []string{t.EN, t.AR}
	for _, lang := range labelLanguages() {
		if l, ok := t.LabelIn(lang); ok {
			out = append(out, l)
		}
	}
	return out
}

// labelLanguages are the languages with a labels file, sorted.
func labelLanguages() []string {
	out := make([]string, 0, len(allLabels()))
	for l := range allLabels() {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}
