package vocab

import (
	_ "embed"
	"encoding/csv"
	"strings"
	"sync"

	"github.com/rasd-project/rasd/internal/locale"
)

//go:embed data/abroad.csv
var abroadCSV string

// Abroad is a country or city outside the home gazetteer, with its names
// in English and Arabic (data/abroad.csv).
type Abroad struct {
	Kind      string // "country" or "city"
	Country   string // ISO 3166-1 alpha-2
	NameEN    string
	AliasesEN []string
	NameAR    string
	AliasesAR []string
}

// AbroadPlaces is every row of data/abroad.csv, in file order.
var AbroadPlaces = sync.OnceValue(func() []Abroad {
	cr := csv.NewReader(strings.NewReader(abroadCSV))
	cr.Comment, cr.FieldsPerRecord = '#', 6
	rows, err := cr.ReadAll()
	if err != nil || len(rows) < 2 {
		panic("vocab: embedded data/abroad.csv: " + err.Error())
	}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, "|")
	}
	var out []Abroad
	for _, r := range rows[1:] {
		out = append(out, Abroad{Kind: r[0], Country: r[1], NameEN: r[2], AliasesEN: split(r[3]), NameAR: r[4], AliasesAR: split(r[5])})
	}
	return out
})

var countryNames = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	for _, a := range AbroadPlaces() {
		if a.Kind != "country" {
			continue
		}
		for _, n := range append(append([]string{a.NameEN, a.NameAR}, a.AliasesEN...), a.AliasesAR...) {
			out[foldName(n)] = a.Country
		}
	}
	for _, n := range []string{"Iraq", "العراق"} { // home
		out[foldName(n)] = "IQ"
	}
	return out
})

// foldName compares names of places, case and spacing aside.
func foldName(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// CountryOf is the ISO code of a country written as name, in English or
// Arabic, or as its code; ok false when the name is none the file knows.
func CountryOf(name string) (code string, ok bool) {
	if n := strings.TrimSpace(name); len(n) == 2 && strings.ToUpper(n) == n {
		if _, known := countryLabel(n); known {
			return n, true
		}
	}
	code, ok = countryNames()[foldName(name)]
	return code, ok
}

// CountryName is a country's name in lang (its code when unknown).
func CountryName(code, lang string) string {
	names, ok := countryLabel(code)
	if !ok {
		return code
	}
	return locale.Pick(lang, names[1], names[0])
}

func countryLabel(code string) ([2]string, bool) {
	if code == "IQ" {
		return [2]string{"Iraq", "العراق"}, true
	}
	for _, a := range AbroadPlaces() {
		if a.Kind == "country" && a.Country == code {
			return [2]string{a.NameEN, a.NameAR}, true
		}
	}
	return [2]string{}, false
}
