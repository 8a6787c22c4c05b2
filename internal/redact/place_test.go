package redact

import (
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

func TestPlace(t *testing.T) {
	type want struct {
		admin1, district, locality, geo string
		lat, lon                        float64 // 0: no point
	}
	gov := want{admin1: "IQ-BA", geo: "governorate", lat: 30.51, lon: 47.78}
	dist := want{admin1: "IQ-BA", district: "IQG02Q02", geo: "district", lat: 30.555, lon: 47.606}
	tests := []struct {
		name string
		edit func(*model.Incident)
		opts Options
		want want
	}{
		{"default is the governorate", func(*model.Incident) {}, Options{}, gov},
		{"district with consent", tag("publish:district"), Options{}, dist},
		{"district without consent", func(i *model.Incident) { tag("publish:district")(i); i.Consent = false }, Options{}, gov},
		{"precise with consent", tag("publish:precise"), Options{},
			want{admin1: "IQ-BA", district: "IQG02Q02", locality: "Al-Jazair street", geo: "exact", lat: 30.5085, lon: 47.7805}},
		{"precise without consent", func(i *model.Incident) { tag("publish:precise")(i); i.Consent = false }, Options{}, gov},
		{"precise, no geo precision recorded", func(i *model.Incident) { tag("publish:precise")(i); i.Place.GeoPrecision = "" }, Options{},
			want{admin1: "IQ-BA", district: "IQG02Q02", locality: "Al-Jazair street", geo: "near", lat: 30.5085, lon: 47.7805}},
		{"precise without coordinates", func(i *model.Incident) { tag("publish:precise")(i); i.Place.Lat, i.Place.Lon = nil, nil }, Options{},
			want{admin1: "IQ-BA", district: "IQG02Q02", locality: "Al-Jazair street", geo: "district", lat: 30.555, lon: 47.606}},
		{"tag case and spaces", tag(" Publish:District "), Options{}, dist},
		{"coarsest tag wins", tag("publish:precise", "publish:district"), Options{}, dist},
		{"unknown level withholds", tag("publish:distrct", "publish:precise"), Options{}, want{}},
		{"country", tag("publish:country"), Options{}, want{}},
		{"explicit governorate", tag("publish:governorate", "publish:precise"), Options{}, gov},
		{"capped by MaxGeo", tag("publish:precise"), Options{MaxGeo: GeoDistrict}, dist},
		{"MaxGeo country", func(*model.Incident) {}, Options{MaxGeo: GeoCountry}, want{}},
		{"unknown MaxGeo fails closed", func(*model.Incident) {}, Options{MaxGeo: "street"}, want{}},
		{"district by English name", func(i *model.Incident) { tag("publish:district")(i); i.Place.District = "al basrah" }, Options{}, dist},
		{"district by Arabic name", func(i *model.Incident) { tag("publish:district")(i); i.Place.District = "البصره" }, Options{}, dist},
		{"district not in the gazetteer", func(i *model.Incident) { tag("publish:district")(i); i.Place.District = "Hay al-Jihad" }, Options{}, gov},
		{"district of another governorate", func(i *model.Incident) { tag("publish:district")(i); i.Place.District = "IQG08Q06" }, Options{}, gov},
		{"governorate given as a district", func(i *model.Incident) { tag("publish:district")(i); i.Place.District = "IQ-BA" }, Options{}, gov},
		{"unknown governorate", func(i *model.Incident) { i.Place.Admin1 = "Basra" }, Options{}, want{}},
		{"governorate of another country", func(i *model.Incident) { i.Place.Country = "SY" }, Options{}, want{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := base()
			tt.edit(inc)
			p, ok := Incident(inc, tt.opts)
			if !ok {
				t.Fatal("not published")
			}
			pl, w := p.Place, tt.want
			if pl.Admin1 != w.admin1 || pl.District != w.district || pl.Locality != w.locality || pl.GeoPrecision != w.geo {
				t.Errorf("place %+v, want %+v", pl, w)
			}
			switch {
			case w.lat == 0 && (pl.Lat != nil || pl.Lon != nil):
				t.Errorf("point %v,%v published at the country level", *pl.Lat, *pl.Lon)
			case w.lat != 0 && (pl.Lat == nil || pl.Lon == nil || *pl.Lat != w.lat || *pl.Lon != w.lon):
				t.Errorf("point %v,%v, want %v,%v", pl.Lat, pl.Lon, w.lat, w.lon)
			}
			if w.admin1 != "" && (pl.Admin1EN != "Basra" || pl.Admin1AR != "البصرة") {
				t.Errorf("governorate names %q %q", pl.Admin1EN, pl.Admin1AR)
			}
			if w.district != "" && (pl.DistrictEN != "Al-Basrah" || pl.DistrictAR != "البصرة") {
				t.Errorf("district names %q %q", pl.DistrictEN, pl.DistrictAR)
			}
			if pl.Country != "IQ" && tt.name != "governorate of another country" {
				t.Errorf("country %q", pl.Country)
			}
		})
	}
}

func tag(tags ...string) func(*model.Incident) {
	return func(i *model.Incident) { i.Tags = append(i.Tags, tags...) }
}

func TestGeoLevelDoesNotReadPlace(t *testing.T) {
	inc := base()
	inc.Tags = []string{"publish:precise"}
	if got := GeoLevel(inc, Options{}); got != GeoPrecise {
		t.Errorf("GeoLevel = %q", got)
	}
	inc.Consent = false
	if got := GeoLevel(inc, Options{}); got != GeoGovernorate {
		t.Errorf("GeoLevel without consent = %q", got)
	}
}
