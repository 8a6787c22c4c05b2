package vocab

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Place is an entry of a gazetteer: a governorate (level 1) or a district
// (level 2).
type Place struct {
	Level   int
	Code    string // ISO 3166-2 for governorates, P-code for districts
	PCode   string // OCHA P-code
	Parent  string // country code for level 1, governorate code for level 2
	EN, AR  string
	Lat     float64
	Lon     float64
	country string // its gazetteer's, for its names in other languages
}

// Label returns the place's name in lang, or in the fallback language.
func (p Place) Label(lang string) string { l, _ := p.LabelIn(lang); return l }

// LabelIn returns the place's name in lang and whether it is in lang
// (false: it is the fallback language's).
func (p Place) LabelIn(lang string) (string, bool) {
	return labelIn(lang, placeLabelKey(p.country, p.Code), p.AR, p.EN)
}

// Gazetteer is one country's administrative places.
type Gazetteer struct {
	Country string
	places  []Place
	byCode  map[string]int
}

// Governorates lists level-1 places in code order.
func (g *Gazetteer) Governorates() []Place { return g.level(1) }

// Districts lists the districts of a governorate.
func (g *Gazetteer) Districts(admin1 string) []Place {
	var out []Place
	for _, p := range g.places {
		if p.Level == 2 && p.Parent == admin1 {
			out = append(out, p)
		}
	}
	return out
}

func (g *Gazetteer) level(l int) []Place {
	var out []Place
	for _, p := range g.places {
		if p.Level == l {
			out = append(out, p)
		}
	}
	return out
}

// Lookup finds a place by its code or P-code.
func (g *Gazetteer) Lookup(code string) (Place, bool) {
	i, ok := g.byCode[code]
	if !ok {
		return Place{}, false
	}
	return g.places[i], true
}

var gazetteers = map[string]*Gazetteer{}

// LoadGazetteer reads a gazetteer CSV: comment lines start with '#', then a
// header "level,code,pcode,parent,name_en,name_ar,lat,lon".
func LoadGazetteer(country string, r io.Reader) (*Gazetteer, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = 8
	g := &Gazetteer{Country: country, byCode: map[string]int{}}
	for line := 0; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("gazetteer %s: %w", country, err)
		}
		if line == 0 {
			continue // header
		}
		pos, _ := cr.FieldPos(0)
		level, err := strconv.Atoi(rec[0])
		if err != nil || level < 1 || level > 2 {
			return nil, fmt.Errorf("gazetteer %s line %d: level must be 1 or 2, got %q", country, pos, rec[0])
		}
		lat, err1 := strconv.ParseFloat(rec[6], 64)
		lon, err2 := strconv.ParseFloat(rec[7], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("gazetteer %s line %d: lat/lon must be numbers", country, pos)
		}
		p := Place{Level: level, Code: rec[1], PCode: rec[2], Parent: rec[3], EN: rec[4], AR: rec[5], Lat: lat, Lon: lon, country: country}
		if _, dup := g.byCode[p.Code]; dup {
			return nil, fmt.Errorf("gazetteer %s line %d: code %s appears twice", country, pos, p.Code)
		}
		g.byCode[p.Code] = len(g.places)
		if p.PCode != "" && p.PCode != p.Code {
			g.byCode[p.PCode] = len(g.places)
		}
		g.places = append(g.places, p)
	}
	return g, nil
}

func init() {
	entries, err := files.ReadDir("data/gazetteer")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		country := strings.TrimSuffix(e.Name(), ".csv")
		f, err := files.Open("data/gazetteer/" + e.Name())
		if err != nil {
			panic(err)
		}
		g, err := LoadGazetteer(country, f)
		f.Close()
		if err != nil {
			panic("vocab: embedded " + err.Error())
		}
		gazetteers[country] = g
	}
}

// GazetteerFor returns the embedded gazetteer of a country (ISO 3166-1
// alpha-2), or nil.
func GazetteerFor(country string) *Gazetteer { return gazetteers[country] }

// Admin1 finds a governorate by code in any embedded gazetteer.
func Admin1(code string) (Place, bool) {
	for _, g := range gazetteers {
		if p, ok := g.Lookup(code); ok && p.Level == 1 {
			return p, true
		}
	}
	return Place{}, false
}
