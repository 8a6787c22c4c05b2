package vocab

import "testing"

// Known towns fall in their governorate; points outside Iraq, and
// coordinates with latitude and longitude swapped, in none.
func TestLocate(t *testing.T) {
	for _, c := range []struct {
		name     string
		lat, lon float64
		admin1   string // "" = outside
		district string // "" = any district of admin1
	}{
		{"Baghdad, Tahrir Square", 33.3328, 44.4183, "IQ-BG", ""},
		{"Basra city", 30.5085, 47.7804, "IQ-BA", ""},
		{"Mosul", 36.3350, 43.1189, "IQ-NI", "IQG15Q05"},
		{"Erbil citadel", 36.1912, 44.0092, "IQ-AR", ""},
		{"Halabja town", 35.1778, 45.9861, "IQ-SU", "IQG06Q05"},
		{"Ramadi", 33.4206, 43.3078, "IQ-AN", ""},
		{"Najaf", 31.9961, 44.3148, "IQ-NA", ""},
		{"Kirkuk", 35.4681, 44.3922, "IQ-KI", ""},
		{"Rutba desert", 33.0381, 40.2848, "IQ-AN", ""},
		{"Kuwait City", 29.3759, 47.9774, "", ""},
		{"Tehran", 35.6892, 51.3890, "", ""},
		{"Damascus", 33.5138, 36.2765, "", ""},
		{"Baghdad swapped", 44.4183, 33.3328, "", ""},
		{"Gulf of Null Island", 0, 0, "", ""},
	} {
		p, ok := Locate("IQ", c.lat, c.lon)
		switch {
		case c.admin1 == "" && ok:
			t.Errorf("%s: placed in %s (%s), want outside", c.name, p.Code, p.Parent)
		case c.admin1 != "" && !ok:
			t.Errorf("%s: outside, want in %s", c.name, c.admin1)
		case c.admin1 != "" && (p.Parent != c.admin1 || p.Level != 2):
			t.Errorf("%s: in %s of %s, want %s", c.name, p.Code, p.Parent, c.admin1)
		case c.district != "" && p.Code != c.district:
			t.Errorf("%s: district %s (%s), want %s", c.name, p.Code, p.EN, c.district)
		}
	}
	if _, ok := Locate("SY", 33.5, 36.3); ok {
		t.Error("a country without boundaries placed a point")
	}
}

// Every district of the gazetteer has a polygon, and most district
// reference points (town centres) lie in their own.
func TestBoundariesCoverGazetteer(t *testing.T) {
	g := GazetteerFor("IQ")
	has := map[string]bool{}
	for _, a := range areas()["IQ"] {
		has[a.district.Code] = true
	}
	own, all := 0, 0
	for _, gov := range g.Governorates() {
		for _, d := range g.Districts(gov.Code) {
			all++
			if !has[d.Code] {
				t.Errorf("district %s (%s) has no polygon", d.Code, d.EN)
			}
			if p, ok := Locate("IQ", d.Lat, d.Lon); ok && p.Code == d.Code {
				own++
			}
		}
	}
	if all == 0 || own*10 < all*9 {
		t.Errorf("%d of %d district points lie in their own district; want 90%%", own, all)
	}
}

func BenchmarkLocate(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Locate("IQ", 33.3328+float64(i%100)*0.01, 44.4183)
	}
}
