package i18n

import (
	"strings"
	"testing"
)

// Every key of every catalogue exists in every other, and plural keys have
// every category their language needs.
func TestCataloguesComplete(t *testing.T) {
	base := func(k string) string {
		for _, c := range []string{".zero", ".one", ".two", ".few", ".many", ".other"} {
			if strings.HasSuffix(k, c) {
				return strings.TrimSuffix(k, c)
			}
		}
		return ""
	}
	plurals := map[string]bool{}
	for _, l := range Langs {
		for _, k := range Keys(l) {
			if b := base(k); b != "" {
				plurals[b] = true
				continue
			}
			for _, other := range Langs {
				if !Has(other, k) {
					t.Errorf("key %q is in %s but missing in %s", k, l, other)
				}
			}
			if strings.TrimSpace(T(l, k)) == "" {
				t.Errorf("%s: key %q is empty", l, k)
			}
		}
	}
	need := map[string][]string{"en": {"one", "other"}, "ar": {"zero", "one", "two", "few", "many", "other"}}
	for b := range plurals {
		for l, cats := range need {
			for _, c := range cats {
				if !Has(l, b+"."+c) {
					t.Errorf("plural %q lacks %s.%s", b, l, c)
				}
			}
		}
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "zero", 1: "one", 2: "two", 3: "few", 10: "few", 11: "many", 99: "many", 100: "other", 103: "few", 111: "many"} {
		if got := Plural("ar", n); got != want {
			t.Errorf("Plural(ar, %d) = %s, want %s", n, got, want)
		}
	}
	if Plural("en", 1) != "one" || Plural("en", 0) != "other" {
		t.Error("English plural")
	}
	if got := N("ar", "home.total", 2); got != "حادثتان يمكنك رؤيتهما." {
		t.Errorf("N(ar, 2) = %q", got)
	}
	if got := N("en", "home.total", 5); got != "5 incidents you can see." {
		t.Errorf("N(en, 5) = %q", got)
	}
}

func TestDates(t *testing.T) {
	cases := []struct{ lang, ymd, prec, want string }{
		{"en", "2019-12-08", "day", "8 December 2019"},
		{"ar", "2019-12-08", "day", "8 كانون الأول 2019"},
		{"en", "2019-10-01", "month", "October 2019"},
		{"ar", "2019-10-01", "month", "تشرين الأول 2019"},
		{"en", "2020-01-01", "year", "2020"},
		{"en", "2019-11-18", "week", "week of 18 November 2019"},
		{"en", "garbage", "day", "garbage"},
	}
	for _, c := range cases {
		if got := Date(c.lang, c.ymd, c.prec); got != c.want {
			t.Errorf("Date(%s, %s, %s) = %q, want %q", c.lang, c.ymd, c.prec, got, c.want)
		}
	}
	if Digits("IQ-2019-0042") != "IQ-٢٠١٩-٠٠٤٢" {
		t.Errorf("Digits = %q", Digits("IQ-2019-0042"))
	}
	if T("en", "no.such.key") != "[no.such.key]" {
		t.Error("missing key not shown")
	}
}
