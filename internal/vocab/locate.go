package vocab

//go:generate go run ./gen/boundaries -src ../../../shared/data/geo/irq_admbnda_adm2_cso_20190603.geojson -out data/boundaries/IQ.json

import (
	"embed"
	"encoding/json"
	"sort"
	"strings"
	"sync"
)

// BoundaryAttribution is what the district boundaries require wherever a
// place derived from them is shown.
const BoundaryAttribution = "OCHA COD-AB Iraq, CSO/ITOS"

//go:embed data/boundaries
var boundaryFiles embed.FS

// area is one district's polygon: rings of flat lon,lat pairs, inside
// by the even-odd rule (so holes are holes), and its bounding box.
type area struct {
	district                       Place
	rings                          [][]float64
	minLon, minLat, maxLon, maxLat float64
}

var areas = sync.OnceValue(func() map[string][]area {
	out := map[string][]area{}
	entries, _ := boundaryFiles.ReadDir("data/boundaries")
	for _, e := range entries {
		country := strings.TrimSuffix(e.Name(), ".json")
		g := GazetteerFor(country)
		b, err := boundaryFiles.ReadFile("data/boundaries/" + e.Name())
		if err != nil || g == nil {
			panic("vocab: embedded boundaries " + e.Name())
		}
		var f struct {
			Districts []struct {
				PCode string      `json:"pcode"`
				Rings [][]float64 `json:"rings"`
			} `json:"districts"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			panic("vocab: embedded boundaries " + e.Name() + ": " + err.Error())
		}
		for _, d := range f.Districts {
			p, ok := g.Lookup(d.PCode)
			if !ok || p.Level != 2 {
				panic("vocab: boundaries name district " + d.PCode + ", which the gazetteer lacks")
			}
			a := area{district: p, rings: d.Rings, minLon: 180, minLat: 90, maxLon: -180, maxLat: -90}
			for _, r := range d.Rings {
				for i := 0; i+1 < len(r); i += 2 {
					a.minLon, a.maxLon = min(a.minLon, r[i]), max(a.maxLon, r[i])
					a.minLat, a.maxLat = min(a.minLat, r[i+1]), max(a.maxLat, r[i+1])
				}
			}
			out[country] = append(out[country], a)
		}
	}
	return out
})

// HasBoundaries reports whether the district polygons of country are
// built in, so that Locate can place a point in it.
func HasBoundaries(country string) bool { return len(areas()[country]) > 0 }

// Locate finds the district of country whose polygon holds the point, and
// false if the point lies outside every district (outside the country).
// A point exactly on a shared border belongs to one of the two.
func Locate(country string, lat, lon float64) (Place, bool) {
	for _, a := range areas()[country] {
		if lon < a.minLon || lon > a.maxLon || lat < a.minLat || lat > a.maxLat {
			continue
		}
		if a.holds(lon, lat) {
			return a.district, true
		}
	}
	return Place{}, false
}

// holds is the even-odd ray test over every ring.
func (a *area) holds(x, y float64) bool {
	in := false
	for _, r := range a.rings {
		n := len(r) / 2
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			xi, yi, xj, yj := r[2*i], r[2*i+1], r[2*j], r[2*j+1]
			if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
				in = !in
			}
		}
	}
	return in
}

// BoundaryCountries lists the countries with built-in boundaries.
func BoundaryCountries() []string {
	var out []string
	for c := range areas() {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
