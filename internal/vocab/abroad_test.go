package vocab

import "testing"

func TestCountryOf(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"Turkey", "TR", true}, {"turkey ", "TR", true}, {"Türkiye", "TR", true}, {"تركيا", "TR", true},
		{"TR", "TR", true}, {"الأردن", "JO", true}, {"Iraq", "IQ", true}, {"العراق", "IQ", true},
		{"Atlantis", "", false}, {"", "", false}, {"ZZ", "", false},
	} {
		if got, ok := CountryOf(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("CountryOf(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	if CountryName("TR", "ar") != "تركيا" || CountryName("TR", "en") != "Turkey" || CountryName("Atlantis", "en") != "Atlantis" {
		t.Error("CountryName")
	}
	for _, a := range AbroadPlaces() {
		if len(a.Country) != 2 || a.NameEN == "" || a.NameAR == "" || (a.Kind != "country" && a.Kind != "city") {
			t.Errorf("data/abroad.csv row %+v", a)
		}
	}
}
