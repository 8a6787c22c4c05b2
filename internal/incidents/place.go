package incidents

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// place checks where: the country, the governorate in it, the district in
// the governorate, and coordinates in the country.
func (v *validator) place(f string, p model.Place) {
	_, admin1OK := vocab.Admin1(p.Admin1)
	switch {
	case p.Country == "":
		if p.Admin1 == "" || admin1OK { // else the admin1 error says it
			v.add(f+".country", errors.New("missing; give the ISO 3166-1 code, e.g. IQ, or a governorate code such as IQ-BG"))
		}
	case len(p.Country) != 2 || p.Country[0] < 'A' || p.Country[0] > 'Z' || p.Country[1] < 'A' || p.Country[1] > 'Z':
		v.add(f+".country", fmt.Errorf("%q is not an ISO 3166-1 alpha-2 code; write it as two capital letters, e.g. IQ", p.Country))
	}
	if p.Admin1 != "" {
		gov, ok := vocab.Admin1(p.Admin1)
		switch {
		case !ok:
			v.add(f+".admin1", admin1Problem(p.Country, p.Admin1))
		case p.Country != "" && gov.Parent != p.Country:
			v.add(f+".admin1", fmt.Errorf("%s is in %s, not in country %s; correct one of them", p.Admin1, gov.Parent, p.Country))
		}
	}
	v.line(f+".district", p.District, maxShort)
	v.district(f+".district", p)
	v.line(f+".locality", p.Locality, maxShort)
	v.code(f+".geo_precision", vocab.GeoPrecision, p.GeoPrecision, false)
	v.derived(f, p)
	if (p.Lat == nil) != (p.Lon == nil) {
		v.add(f, errors.New("give both lat and lon, or neither"))
		return
	}
	if p.Lat == nil {
		return
	}
	lat, lon := *p.Lat, *p.Lon
	switch {
	case math.IsNaN(lat) || lat < -90 || lat > 90:
		v.add(f+".lat", fmt.Errorf("%v is not a latitude (-90 to 90)", lat))
	case math.IsNaN(lon) || lon < -180 || lon > 180:
		v.add(f+".lon", fmt.Errorf("%v is not a longitude (-180 to 180)", lon))
	case !inCountry(p.Country, lat, lon):
		v.add(f, fmt.Errorf("lat %v, lon %v is outside %s; are latitude and longitude swapped?", lat, lon, p.Country))
	}
}

func admin1Problem(country, code string) error {
	if p, ok := vocab.Admin1ByName(country, code); ok {
		return fmt.Errorf("%q is a name, not a governorate code; use %q", code, p.Code)
	}
	var codes []string
	if g := vocab.GazetteerFor(country); g != nil {
		for _, p := range g.Governorates() {
			codes = append(codes, p.Code)
		}
	}
	if codes == nil {
		return fmt.Errorf("%q is not a governorate code rasd knows", code)
	}
	return fmt.Errorf("%q is not a governorate code of %s (use one of %v)", code, country, codes)
}

// district checks that a district given by its gazetteer code (or
// P-code) lies in the governorate given. A district given by name, as an
// ACLED export's admin2 is, is kept as written: a name is no code.
func (v *validator) district(f string, p model.Place) {
	g := vocab.GazetteerFor(p.Country)
	if g == nil || p.District == "" {
		return
	}
	d, ok := g.Lookup(p.District)
	switch {
	case !ok || d.Level != 2 || d.Parent == p.Admin1:
	case p.Admin1 == "":
		v.add(f, fmt.Errorf("%s is a district of %s; give that governorate as admin1", p.District, d.Parent))
	default:
		v.add(f, fmt.Errorf("%s is a district of %s, not of %s; correct one of them", p.District, d.Parent, p.Admin1))
	}
}

// bboxMargin widens the box around a gazetteer's places (centroids, not
// borders) so border towns pass while swapped lat/lon still fail.
const bboxMargin = 2.5 // degrees

type bbox struct{ minLat, maxLat, minLon, maxLon float64 }

var (
	bboxMu    sync.Mutex
	bboxCache = map[string]*bbox{}
)

// inCountry reports whether a point lies roughly in country. Countries
// without a gazetteer are not checked.
func inCountry(country string, lat, lon float64) bool {
	b := countryBox(country)
	if b == nil {
		return true
	}
	return lat >= b.minLat && lat <= b.maxLat && lon >= b.minLon && lon <= b.maxLon
}

func countryBox(country string) *bbox {
	bboxMu.Lock()
	defer bboxMu.Unlock()
	if b, ok := bboxCache[country]; ok {
		return b
	}
	var b *bbox
	if g := vocab.GazetteerFor(country); g != nil {
		for _, gov := range g.Governorates() {
			for _, p := range append(g.Districts(gov.Code), gov) {
				if b == nil {
					b = &bbox{p.Lat, p.Lat, p.Lon, p.Lon}
				}
				b.minLat, b.maxLat = min(b.minLat, p.Lat), max(b.maxLat, p.Lat)
				b.minLon, b.maxLon = min(b.minLon, p.Lon), max(b.maxLon, p.Lon)
			}
		}
		if b != nil {
			b.minLat, b.maxLat = b.minLat-bboxMargin, b.maxLat+bboxMargin
			b.minLon, b.maxLon = b.minLon-bboxMargin, b.maxLon+bboxMargin
		}
	}
	bboxCache[country] = b
	return b
}

// DerivePlace fills a place without a governorate from its coordinates,
// when they lie in a district of the embedded boundaries (of its country,
// or of any country with boundaries if none is given): the governorate,
// the district if none was written, the country, and Derived. A place
// with a governorate, or whose point lies in no district, is left as it
// is (Validate then says what is missing). See docs/places.md.
func DerivePlace(p *model.Place) {
	if p.Admin1 != "" || p.Lat == nil || p.Lon == nil {
		return
	}
	d, country, ok := locate(p.Country, *p.Lat, *p.Lon)
	if !ok {
		return
	}
	p.Country, p.Admin1, p.Derived = country, d.Parent, true
	if p.District == "" {
		p.District = d.Code
	}
}

// locate places a point in country's districts, or in those of every
// country with boundaries if country is "".
func locate(country string, lat, lon float64) (vocab.Place, string, bool) {
	if math.IsNaN(lat) || math.IsNaN(lon) {
		return vocab.Place{}, "", false
	}
	if country != "" {
		d, ok := vocab.Locate(country, lat, lon)
		return d, country, ok
	}
	for _, c := range vocab.BoundaryCountries() {
		if d, ok := vocab.Locate(c, lat, lon); ok {
			return d, c, true
		}
	}
	return vocab.Place{}, "", false
}

// derived checks a place marked derived against its coordinates, and that
// a place is named at all: a governorate, district or locality, or
// coordinates inside the country.
func (v *validator) derived(f string, p model.Place) {
	named := p.Admin1 != "" || p.District != "" || p.Locality != ""
	switch {
	case p.Derived && (p.Lat == nil || p.Lon == nil):
		v.add(f+".derived", errors.New("is set only by rasd, for a place found from coordinates; remove it or give lat and lon"))
	case p.Derived:
		if d, _, ok := locate(p.Country, *p.Lat, *p.Lon); !ok || d.Parent != p.Admin1 {
			v.add(f+".derived", fmt.Errorf("is set only by rasd, for a place found from coordinates, but lat %v, lon %v do not lie in %s; remove it", *p.Lat, *p.Lon, p.Admin1))
		}
	case named:
	case p.Lat != nil && p.Lon != nil && vocab.HasBoundaries(p.Country):
		v.add(f+".admin1", fmt.Errorf("no governorate, and lat %v, lon %v is outside %s; give the governorate, or coordinates inside the country", *p.Lat, *p.Lon, p.Country))
	// A country alone is a place when the source says that is all it
	// knows (geo_precision country, as CPJ's records): docs/places.md.
	case p.Lat == nil && p.GeoPrecision != "country":
		v.add(f+".admin1", errors.New("missing; give the governorate, a place name, or coordinates inside the country (or geo_precision country when only the country is known)"))
	}
}
