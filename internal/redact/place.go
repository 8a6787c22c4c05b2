package redact

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/textnorm"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Levels at which a place is published, coarsest first.
const (
	GeoCountry     = "country"     // the country only: no governorate, no point
	GeoGovernorate = "governorate" // the default: governorate and its gazetteer point
	GeoDistrict    = "district"    // the district (a gazetteer district) and its point
	GeoPrecise     = "precise"     // the recorded coordinates and locality
)

var geoLevels = []string{GeoCountry, GeoGovernorate, GeoDistrict, GeoPrecise}

// GeoTag starts the tag that sets a record's publication level, e.g.
// "publish:district" or "publish:precise". Levels finer than the
// governorate also need the incident's publication consent. With several
// such tags the coarsest wins; an unknown level ("publish:distrct")
// counts as GeoCountry, so a typo withholds rather than reveals. These
// tags are never published themselves. A later schema field for the
// publication level may replace the tag.
const GeoTag = "publish:"

// Place is where an incident happened, at the level it is published.
// Lat and Lon are the point of the finest published place: the gazetteer
// point of the governorate or district (the governorate's is its
// capital, as ACLED does for region-level events), or the recorded
// coordinates rounded to 4 decimals (about 11 m). Both are nil at the
// country level.
type Place struct {
	Country      string   `json:"country"` // ISO 3166-1 alpha-2
	Admin1       string   `json:"admin1"`  // ISO 3166-2, e.g. IQ-BG
	Admin1EN     string   `json:"admin1_en"`
	Admin1AR     string   `json:"admin1_ar"`
	District     string   `json:"district"` // gazetteer P-code
	DistrictEN   string   `json:"district_en"`
	DistrictAR   string   `json:"district_ar"`
	Locality     string   `json:"locality"` // only at GeoPrecise
	Lat          *float64 `json:"lat"`
	Lon          *float64 `json:"lon"`
	GeoPrecision string   `json:"geo_precision"` // vocab geo_precision of the point; "" without one
}

func isGeoTag(t string) bool {
	return len(t) >= len(GeoTag) && strings.EqualFold(t[:len(GeoTag)], GeoTag)
}

// GeoLevel returns the level at which inc's place may be published: the
// coarsest of its GeoTag tags (GeoGovernorate without one), no finer than
// GeoGovernorate without publication consent, and no finer than
// opts.MaxGeo.
func GeoLevel(inc *model.Incident, opts Options) string {
	level, tagged := 1, false
	for _, t := range inc.Tags {
		t = strings.TrimSpace(t)
		if !isGeoTag(t) {
			continue
		}
		l := slices.Index(geoLevels, strings.ToLower(strings.TrimSpace(t[len(GeoTag):])))
		if !tagged || l < level {
			level, tagged = max(l, 0), true
		}
	}
	if !inc.Consent {
		level = min(level, 1)
	}
	if opts.MaxGeo != "" {
		level = min(level, max(slices.Index(geoLevels, opts.MaxGeo), 0))
	}
	return geoLevels[level]
}

func place(inc *model.Incident, opts Options) Place {
	level := slices.Index(geoLevels, GeoLevel(inc, opts))
	var out Place
	if c := inc.Place.Country; len(c) == 2 && isUpper(c) {
		out.Country = c
	}
	gov, ok := vocab.Admin1(inc.Place.Admin1)
	if !ok || out.Country != "" && gov.Parent != out.Country {
		return out // no known governorate: the country is all that is known
	}
	out.Country = gov.Parent
	if level < 1 {
		return out
	}
	out.Admin1, out.Admin1EN, out.Admin1AR = gov.Code, gov.EN, gov.AR
	out.Lat, out.Lon, out.GeoPrecision = ptr(gov.Lat), ptr(gov.Lon), "governorate"
	if level < 2 {
		return out
	}
	if d, ok := district(gov, inc.Place.District); ok {
		out.District, out.DistrictEN, out.DistrictAR = d.Code, d.EN, d.AR
		out.Lat, out.Lon, out.GeoPrecision = ptr(d.Lat), ptr(d.Lon), "district"
	}
	if level < 3 {
		return out
	}
	out.Locality = strings.Join(strings.Fields(inc.Place.Locality), " ")
	if lat, lon := inc.Place.Lat, inc.Place.Lon; lat != nil && lon != nil && validCoord(*lat, 90) && validCoord(*lon, 180) {
		out.Lat, out.Lon = ptr(round4(*lat)), ptr(round4(*lon))
		out.GeoPrecision = term(vocab.GeoPrecision, inc.Place.GeoPrecision)
		if out.GeoPrecision == "" {
			out.GeoPrecision = "near" // claim no more than is known
		}
	}
	return out
}

// district finds the recorded district in the gazetteer, by code or by
// name; a district that is not there is not published.
func district(gov vocab.Place, recorded string) (vocab.Place, bool) {
	g := vocab.GazetteerFor(gov.Parent)
	if g == nil || strings.TrimSpace(recorded) == "" {
		return vocab.Place{}, false
	}
	if d, ok := g.Lookup(strings.TrimSpace(recorded)); ok && d.Level == 2 && d.Parent == gov.Code {
		return d, true
	}
	key := nameKey(recorded)
	for _, d := range g.Districts(gov.Code) {
		if key != "" && (nameKey(d.EN) == key || nameKey(d.AR) == key) {
			return d, true
		}
	}
	return vocab.Place{}, false
}

// nameKey folds a place name for comparison: search normalisation, then
// letters and digits only.
func nameKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, textnorm.Normalize(s))
}

func isUpper(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func validCoord(f, limit float64) bool { return !math.IsNaN(f) && math.Abs(f) <= limit }

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

func ptr(f float64) *float64 { return &f }
