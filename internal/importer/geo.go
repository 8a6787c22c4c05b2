package importer

import (
	"sync"

	"github.com/rasd-project/rasd/internal/vocab"
)

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
