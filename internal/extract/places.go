package extract

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/vocab"
)

// Place is a place the report names: in the gazetteer (a governorate, a
// district, or a town of one) or abroad (a country or a city).
type Place struct {
	Name     string `json:"name"`  // as written
	Level    string `json:"level"` // governorate, district, town, country, city
	Country  string `json:"country"`
	Admin1   string `json:"admin1,omitempty"`
	District string `json:"district,omitempty"`
	Locality string `json:"locality,omitempty"` // the town's English name
	Abroad   bool   `json:"abroad,omitempty"`
	Trace
}

// home is the country whose gazetteer places are "at home" (not abroad).
const home = "IQ"

var (
	places     []Place
	placeIndex map[string]*matcher // by language
)

func loadPlaces() error {
	names := map[string]map[string][]string{"en": {}, "ar": {}}
	add := func(p Place, en, ar []string) {
		id := strconv.Itoa(len(places))
		places = append(places, p)
		for _, n := range en {
			if n = strings.TrimSpace(n); n != "" {
				names["en"][id] = append(names["en"][id], n)
				if short := withoutArticle(n); short != "" {
					names["en"][id] = append(names["en"][id], short)
				}
			}
		}
		for _, n := range ar {
			if n = strings.TrimSpace(n); n != "" {
				names["ar"][id] = append(names["ar"][id], n)
			}
		}
	}
	g := vocab.GazetteerFor(home)
	if g == nil {
		return fmt.Errorf("extract: no gazetteer for %s", home)
	}
	for _, gov := range g.Governorates() {
		add(Place{Level: "governorate", Country: home, Admin1: gov.Code}, []string{gov.EN}, []string{gov.AR})
		for _, d := range g.Districts(gov.Code) {
			add(Place{Level: "district", Country: home, Admin1: gov.Code, District: d.Code}, []string{d.EN}, []string{d.AR})
		}
	}
	towns, err := readCSV("data/places/IQ-towns.csv", 4)
	if err != nil {
		return err
	}
	for _, t := range towns {
		add(Place{Level: "town", Country: home, Admin1: t[3], Locality: t[0]}, append([]string{t[0]}, strings.Split(t[1], "|")...), []string{t[2]})
	}
	for _, a := range vocab.AbroadPlaces() {
		add(Place{Level: a.Kind, Country: a.Country, Locality: a.NameEN, Abroad: true}, append([]string{a.NameEN}, a.AliasesEN...), append([]string{a.NameAR}, a.AliasesAR...))
	}
	placeIndex = map[string]*matcher{}
	for lang, byID := range names {
		r := allRules[lang]
		if r != nil {
			for id, ns := range byID {
				byID[id] = dropStops(lang, ns, r)
			}
		}
		placeIndex[lang] = newMatcher(lang, byID)
	}
	return nil
}

// withoutArticle is an English place name without its leading Arabic
// article ("Al-Falluja" → "Falluja"), or "".
func withoutArticle(n string) string {
	l := strings.ToLower(n)
	for _, a := range []string{"al-", "al ", "an ", "as ", "ad ", "ar ", "ash ", "az ", "el-"} {
		if strings.HasPrefix(l, a) && len(n) > len(a)+2 {
			return n[len(a):]
		}
	}
	return ""
}

// dropStops leaves out names a language lists as ambiguous (place_stop):
// "عنه" is a district and "about him".
func dropStops(lang string, ns []string, r *rules) []string {
	var out []string
	for _, n := range ns {
		if r.placeStop[strings.Join(patternWords(lang, n), " ")] {
			return nil // its other forms ("Salman" of "Al-Salman") too
		}
		out = append(out, n)
	}
	return out
}

func readCSV(name string, fields int) ([][]string, error) {
	f, err := dataFS.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.Comment = '#'
	cr.FieldsPerRecord = fields
	var out [][]string
	for first := true; ; first = false {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("extract: %s: %w", name, err)
		}
		if !first {
			out = append(out, rec)
		}
	}
}

// placeHit is a place found in a sentence.
type placeHit struct {
	Place
	from, to int
}

// findPlaces reads the places of a sentence. English names must start
// with a capital letter ("Hit" the town, not "hit" the verb).
func (r *rules) findPlaces(toks []token, sentence int, text string) []placeHit {
	m := placeIndex[r.lang]
	if m == nil {
		return nil
	}
	var out []placeHit
	for i := 0; i < len(toks); {
		v, n, ok := m.at(r, toks, i)
		if !ok || (!r.arabic && !toks[i].upper) {
			i++
			continue
		}
		id, _ := strconv.Atoi(v)
		p := places[id]
		p.Name = text[toks[i].start:toks[i+n-1].end]
		p.Trace = Trace{Sentences: []int{sentence}, Confidence: 0.9}
		out = append(out, placeHit{p, i, i + n})
		i += n
	}
	return out
}
