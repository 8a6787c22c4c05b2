package vocab

import (
	"encoding/csv"
	"io"
	"os"
	"strings"
	"testing"
)

func TestAdmin1ByName(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		// gazetteer names and codes
		{"Baghdad", "IQ-BG"}, {"IQ-BG", "IQ-BG"}, {"بغداد", "IQ-BG"}, {"الأنبار", "IQ-AN"},
		{"Nineveh", "IQ-NI"}, {"Salah ad-Din", "IQ-SD"},
		// ACLED spellings
		{"Basrah", "IQ-BA"}, {"Ninewa", "IQ-NI"}, {"Al Anbar", "IQ-AN"}, {"Anbar", "IQ-AN"},
		{"Salah al-Din", "IQ-SD"}, {"Salah Al Din", "IQ-SD"}, {"Dhi-Qar", "IQ-DQ"}, {"Thi-Qar", "IQ-DQ"},
		{"Erbil", "IQ-AR"}, {"Arbil", "IQ-AR"}, {"Sulaymaniyah", "IQ-SU"}, {"Sulaimaniyah", "IQ-SU"},
		{"Duhok", "IQ-DA"}, {"Dohuk", "IQ-DA"}, {"Kirkuk", "IQ-KI"}, {"Diyala", "IQ-DI"},
		{"Wassit", "IQ-WA"}, {"Wasit", "IQ-WA"}, {"Missan", "IQ-MA"}, {"Maysan", "IQ-MA"},
		{"Muthanna", "IQ-MU"}, {"Qadissiya", "IQ-QA"}, {"Al-Qadisiyah", "IQ-QA"}, {"Najaf", "IQ-NA"},
		{"Karbala", "IQ-KA"}, {"Babil", "IQ-BB"}, {"Babylon", "IQ-BB"}, {"Halabja", "IQ-SU"},
		// folding: case, spaces, suffixes, Arabic prefix
		{"  BAGHDAD ", "IQ-BG"}, {"Baghdad Governorate", "IQ-BG"}, {"محافظة بغداد", "IQ-BG"},
		{"dhi  qar", "IQ-DQ"}, {"Maysān  province", "IQ-MA"}, {"At-Ta'mim province", "IQ-KI"},
	} {
		p, ok := Admin1ByName("IQ", tc.name)
		if !ok || p.Code != tc.want {
			t.Errorf("Admin1ByName(IQ, %q) = %q, %v; want %q", tc.name, p.Code, ok, tc.want)
		}
	}
	for _, name := range []string{"", "Mosul", "Damascus", "province", "Al", "IQ-XX"} {
		if p, ok := Admin1ByName("IQ", name); ok {
			t.Errorf("Admin1ByName(IQ, %q) = %q; want no match", name, p.Code)
		}
	}
	if _, ok := Admin1ByName("SY", "Baghdad"); ok {
		t.Error("Baghdad found in country SY")
	}
	if p, ok := Admin1ByName("", "Basrah"); !ok || p.Code != "IQ-BA" {
		t.Errorf("any country: got %q, %v", p.Code, ok)
	}
}

// Every adm_1 spelling of the real UCDP GED file must resolve: the
// rows of testdata/real (one per spelling, see its README.md), and the
// whole file too when the shared data directory is next to this module.
func TestAdmin1ByNameUCDP(t *testing.T) {
	paths := []string{"testdata/real/ucdp_ged_iraq_adm1.csv"}
	if full := "../../../shared/data/real/ucdp_ged_iraq_1989-2018_hdx.csv"; fileExists(full) {
		paths = append(paths, full)
	}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) { admin1UCDP(t, path) })
	}
}

func fileExists(path string) bool { _, err := os.Stat(path); return err == nil }

func admin1UCDP(t *testing.T, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	header, err := cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range header {
		if h == "adm_1" {
			col = i
		}
	}
	if col < 0 {
		t.Fatal("no adm_1 column")
	}
	seen := map[string]bool{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		name := rec[col]
		if name == "" || strings.HasPrefix(name, "#") || seen[name] { // blank, HXL row
			continue
		}
		seen[name] = true
		if _, ok := Admin1ByName("IQ", name); !ok {
			t.Errorf("UCDP adm_1 %q does not resolve", name)
		}
	}
	if len(seen) < 18 {
		t.Errorf("only %d distinct adm_1 values; expected the 18 governorates", len(seen))
	}
}

func TestLoadAliasesRejects(t *testing.T) {
	g := GazetteerFor("IQ")
	for _, in := range []string{
		"alias,code\nFoo,IQ-XX\n",       // unknown code
		"alias,code\nFoo,IQG08Q01\n",    // a district, not a governorate
		"alias,code\nBaghdad,IQ-BA\n",   // clashes with the gazetteer name
		"alias,code\n---,IQ-BA\n",       // folds to nothing
		"alias,code\nFoo,IQ-BA,extra\n", // wrong field count
	} {
		byName := map[string]string{}
		for _, p := range g.Governorates() {
			_ = addAlias(byName, p.EN, p.Code)
		}
		if err := loadAliases(strings.NewReader(in), g, byName); err == nil {
			t.Errorf("loadAliases(%q) accepted it", in)
		}
	}
}
