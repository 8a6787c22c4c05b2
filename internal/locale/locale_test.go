package locale

import (
	"slices"
	"testing"
)

func TestTable(t *testing.T) {
	if got := Codes(); !slices.Equal(got, []string{"ar", "en", "ckb"}) {
		t.Errorf("Codes() = %v", got)
	}
	if got := CompleteCodes(); !slices.Equal(got, []string{"ar", "en"}) {
		t.Errorf("CompleteCodes() = %v", got)
	}
	for _, c := range []struct {
		code, dir, or string
		arabicScript  bool
	}{
		{"ar", "rtl", "ar", true}, {"ckb", "rtl", "ckb", true}, {"en", "ltr", "en", false},
		{"fr", "ltr", Fallback, false}, {"", "ltr", Fallback, false}, {"AR", "ltr", Fallback, false},
	} {
		if Dir(c.code) != c.dir || Or(c.code) != c.or || ArabicScript(c.code) != c.arabicScript || RTL(c.code) != (c.dir == "rtl") {
			t.Errorf("%q: Dir %s, Or %s, ArabicScript %v", c.code, Dir(c.code), Or(c.code), ArabicScript(c.code))
		}
	}
	if !Arabic("ar") || Arabic("ckb") || Arabic("en") {
		t.Error("Arabic is the language, not the script")
	}
	if Wording("ckb") != Fallback || Wording("ar") != "ar" || Wording("xx") != Fallback {
		t.Error("Wording: only complete languages have wording composed in Go")
	}
	for _, l := range table {
		if l.Name == "" || (l.Dir != "rtl" && l.Dir != "ltr") || (l.Digits != "latn" && l.Digits != "arab") {
			t.Errorf("%s: incomplete entry %+v", l.Code, l)
		}
		if l.Digits == "arab" && !ArabicScript(l.Code) {
			t.Errorf("%s: Arabic-Indic digits in a language not written in Arabic script", l.Code)
		}
	}
	if Pick("ar", "عربي", "English") != "عربي" || Pick("ckb", "عربي", "English") != "English" || Pick("en", "عربي", "English") != "English" {
		t.Error("Pick: Arabic content for Arabic, English for the others")
	}
	if !Stored("ar") || !Stored("en") || Stored("ckb") || Stored("fr") {
		t.Error("Stored: Arabic and English only")
	}
	if Pick("ar", "", "English") != "" {
		t.Error("Pick chooses by language, not by what is empty")
	}
}

func TestArabicDigits(t *testing.T) {
	for _, c := range []struct {
		code, choice string
		want         bool
	}{
		{"ar", "", false}, {"ar", "arab", true}, {"ar", "latn", false},
		{"ckb", "", true}, {"ckb", "arab", true}, {"ckb", "latn", false},
		{"en", "arab", false}, {"en", "", false}, {"xx", "arab", false},
		{"ckb", "nonsense", true}, {"ar", "nonsense", false},
	} {
		if got := ArabicDigits(c.code, c.choice); got != c.want {
			t.Errorf("ArabicDigits(%q, %q) = %v, want %v", c.code, c.choice, got, c.want)
		}
	}
}

// The plural rules are CLDR's, from golang.org/x/text.
func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "zero", 1: "one", 2: "two", 3: "few", 10: "few", 11: "many", 99: "many",
		100: "other", 101: "other", 102: "other", 103: "few", 111: "many", 1000: "other"} {
		if got := Plural("ar", n); got != want {
			t.Errorf("Plural(ar, %d) = %s, want %s", n, got, want)
		}
	}
	for n, want := range map[int]string{0: "other", 1: "one", 2: "other", 21: "other"} {
		if Plural("en", n) != want || Plural("ckb", n) != want {
			t.Errorf("Plural(en/ckb, %d) = %s/%s, want %s", n, Plural("en", n), Plural("ckb", n), want)
		}
	}
	if Plural("xx", 1) != Plural(Fallback, 1) {
		t.Error("an unknown language takes the fallback's rules")
	}
	for code, want := range map[string][]string{"ar": {"zero", "one", "two", "few", "many", "other"},
		"en": {"one", "other"}, "ckb": {"one", "other"}} {
		if got := Categories(code); !slices.Equal(got, want) {
			t.Errorf("Categories(%s) = %v, want %v", code, got, want)
		}
	}
}

func TestMatch(t *testing.T) {
	for header, want := range map[string]string{
		"":                         "en",
		"ar-IQ,ar;q=0.9":           "ar",
		"ckb-IQ,ckb;q=0.9,ar;q=.8": "ckb",
		"ckb":                      "ckb",
		"fr-FR,fr;q=0.9,ar;q=0.5":  "ar",
		"de,en-GB;q=0.7":           "en",
		"ar;q=0,ckb;q=0.2":         "ckb",
		"ku":                       "en", // Kurmanji (Latin script) is not Sorani
		"arz,en;q=0.1":             "en", // Egyptian Arabic is another language tag
		"*":                        "en",
		"garbage;;;q=x":            "en",
	} {
		if got := Match(header); got != want {
			t.Errorf("Match(%q) = %q, want %q", header, got, want)
		}
	}
}
