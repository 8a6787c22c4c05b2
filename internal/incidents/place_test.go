package incidents

import (
	"context"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// A place without a governorate is found from its coordinates, marked
// derived; a row is refused only with neither a place name nor
// coordinates inside the country (docs/places.md).
func TestDerivePlace(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		in                      model.Place
		admin1, district, field string // want; field: the error's, "" = accepted
		derived                 bool
		wantErr                 string
	}{
		{name: "coordinates only, Baghdad", in: model.Place{Country: "IQ", Lat: ptr(33.3328), Lon: ptr(44.4183)}, admin1: "IQ-BG", derived: true},
		{name: "no country, Mosul", in: model.Place{Lat: ptr(36.335), Lon: ptr(43.1189)}, admin1: "IQ-NI", district: "IQG15Q05", derived: true},
		{name: "Halabja", in: model.Place{Country: "IQ", Lat: ptr(35.1778), Lon: ptr(45.9861)}, admin1: "IQ-SU", district: "IQG06Q05", derived: true},
		{name: "district name kept", in: model.Place{Country: "IQ", District: "Old City", Lat: ptr(36.335), Lon: ptr(43.1189)}, admin1: "IQ-NI", district: "Old City", derived: true},
		{name: "written governorate kept", in: model.Place{Country: "IQ", Admin1: "IQ-AN", Lat: ptr(33.4206), Lon: ptr(43.3078)}, admin1: "IQ-AN"},
		{name: "locality without coordinates", in: model.Place{Country: "IQ", Locality: "Jurf al-Sakhar"}},
		{name: "written district of another governorate", in: model.Place{Country: "IQ", District: "IQG01Q01", Lat: ptr(33.3328), Lon: ptr(44.4183)}, admin1: "IQ-BG", derived: true,
			field: "place.district", wantErr: "district of IQ-AN, not of IQ-BG"},
		{name: "nothing", in: model.Place{Country: "IQ"}, field: "place.admin1", wantErr: "missing; give the governorate"},
		{name: "coordinates in Kuwait", in: model.Place{Country: "IQ", Lat: ptr(29.3759), Lon: ptr(47.9774)}, field: "place.admin1", wantErr: "outside IQ"},
		{name: "swapped coordinates", in: model.Place{Country: "IQ", Lat: ptr(44.4183), Lon: ptr(33.3328)}, field: "place", wantErr: "swapped"},
		{name: "derived given by a writer", in: model.Place{Country: "IQ", Admin1: "IQ-AN", Derived: true, Lat: ptr(33.3328), Lon: ptr(44.4183)}, admin1: "IQ-AN", derived: true,
			field: "place.derived", wantErr: "set only by rasd"},
		{name: "derived without coordinates", in: model.Place{Country: "IQ", Admin1: "IQ-AN", Derived: true}, admin1: "IQ-AN", derived: true,
			field: "place.derived", wantErr: "set only by rasd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inc := validIncident()
			inc.Place = tc.in
			ApplyDefaults(&inc)
			p := inc.Place
			if p.Admin1 != tc.admin1 || p.Derived != tc.derived || (tc.district != "" && p.District != tc.district) {
				t.Errorf("place %+v; want admin1 %q district %q derived %v", p, tc.admin1, tc.district, tc.derived)
			}
			if tc.derived && tc.in.Admin1 == "" && (p.Country != "IQ" || p.District == "") {
				t.Errorf("derived place %+v lacks its country or district", p)
			}
			err := Validate(&inc)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			for _, e := range Problems(err) {
				if e.Field == tc.field && strings.Contains(e.Error(), tc.wantErr) {
					return
				}
			}
			t.Errorf("errors %v; want %s: %q", err, tc.field, tc.wantErr)
		})
	}
}

// Applying the defaults twice changes nothing more: a derived place stays.
func TestDerivePlaceIdempotent(t *testing.T) {
	inc := validIncident()
	inc.Place = model.Place{Lat: ptr(30.5085), Lon: ptr(47.7804)}
	ApplyDefaults(&inc)
	first := inc.Place
	ApplyDefaults(&inc)
	if inc.Place != first || first.Admin1 != "IQ-BA" {
		t.Errorf("%+v then %+v", first, inc.Place)
	}
}

// The derived mark is stored and read back on both backends.
func TestDerivedPlaceStored(t *testing.T) {
	onBoth(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		s := New(st, nil)
		inc := newIncident(func(i *model.Incident) {
			i.Place = model.Place{Country: "IQ", Lat: ptr(33.3328), Lon: ptr(44.4183)}
		})
		if err := s.Create(ctx, user("ali", model.RoleDocumenter), inc, nil); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, Operator, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p := got.Place; !p.Derived || p.Admin1 != "IQ-BG" || p.District == "" {
			t.Errorf("stored place %+v; want derived IQ-BG with a district", p)
		}
	})
}
