package i18n

import (
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/locale"
)

// pluralBase is the plural message a key is a form of ("home.total" of
// "home.total.few"), or "".
func pluralBase(k string) string {
	for _, c := range []string{".zero", ".one", ".two", ".few", ".many", ".other"} {
		if strings.HasSuffix(k, c) {
			return strings.TrimSuffix(k, c)
		}
	}
	return ""
}

// catalogueState sorts one language's catalogue against the fallback's:
// the messages it lacks (a plural message lacking any category its
// language needs counts once, as its base), and keys it has that the
// fallback does not (stale or mistyped).
func catalogueState(lang string) (missing, unknown []string) {
	plurals := map[string]bool{}
	for _, k := range Keys(locale.Fallback) {
		if b := pluralBase(k); b != "" {
			plurals[b] = true
		} else if !Has(lang, k) {
			missing = append(missing, k)
		}
	}
	for b := range plurals {
		for _, c := range locale.Categories(lang) {
			if !Has(lang, b+"."+c) {
				missing = append(missing, b)
				break
			}
		}
	}
	for _, k := range Keys(lang) {
		if b := pluralBase(k); b != "" && plurals[b] {
			if !slices.Contains(locale.Categories(lang), strings.TrimPrefix(k, b+".")) {
				unknown = append(unknown, k+" (not a plural category of "+lang+")")
			}
		} else if !Has(locale.Fallback, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(unknown)
	return missing, unknown
}

// Every complete language has every message, with every plural category it
// needs; no language has a key the fallback lacks; no message is empty.
func TestCataloguesComplete(t *testing.T) {
	for _, l := range locale.Codes() {
		missing, unknown := catalogueState(l)
		if locale.Get(l).Complete {
			for _, k := range missing {
				t.Errorf("%s lacks %q", l, k)
			}
		}
		for _, k := range unknown {
			t.Errorf("%s has %q, which the fallback (%s) does not", l, k, locale.Fallback)
		}
		for _, k := range Keys(l) {
			if msg, _ := Message(l, k); strings.TrimSpace(msg) == "" {
				t.Errorf("%s: key %q is empty", l, k)
			}
		}
	}
	// The completeness checks are also over the fallback itself: a key only
	// the other complete language has is caught as unknown there.
	if len(Keys(locale.Fallback)) < 500 {
		t.Errorf("the fallback catalogue has %d keys: not loaded?", len(Keys(locale.Fallback)))
	}
}

// A translation takes the same arguments as the fallback's message: a
// missing or extra verb would print "%!s(MISSING)" or drop a value.
func TestCatalogueVerbs(t *testing.T) {
	verbs := regexp.MustCompile(`%(\[\d+\])?[-+# 0-9.]*[a-zA-Z%]`)
	list := func(msg string) string {
		v := verbs.FindAllString(msg, -1)
		sort.Strings(v)
		return strings.Join(v, " ")
	}
	for _, l := range locale.Codes() {
		for _, k := range Keys(l) {
			if pluralBase(k) != "" {
				continue // a form may leave the number out ("حادثتان")
			}
			want, _ := Message(locale.Fallback, k)
			if got, _ := Message(l, k); list(got) != list(want) {
				t.Errorf("%s %q has verbs [%s], the fallback's [%s]", l, k, list(got), list(want))
			}
		}
	}
}

// TestIncompleteCatalogues lists, for each incomplete language, the
// messages it lacks (shown in the fallback language, marked): the work
// left to its translators. It fails only when the language has a catalogue
// with nothing in it.
func TestIncompleteCatalogues(t *testing.T) {
	for _, l := range locale.Codes() {
		if locale.Get(l).Complete {
			continue
		}
		missing, _ := catalogueState(l)
		t.Logf("%s lacks %d of %d messages (shown in %s):\n%s", l, len(missing), len(Keys(locale.Fallback)),
			locale.Fallback, strings.Join(missing, "\n"))
		if len(Keys(l)) == 0 {
			t.Errorf("%s has no catalogue (locales/%s)", l, l)
		}
	}
}

// Every catalogue directory is a language of the table.
func TestCatalogueDirectories(t *testing.T) {
	dirs, err := fs.ReadDir(files, "locales")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !locale.Known(d.Name()) {
			t.Errorf("locales/%s is not a language of the locale table", d.Name())
		}
	}
}

// A message missing from a language comes from the fallback, and says so.
func TestFallback(t *testing.T) {
	const key = "test.only.in.fallback"
	catalogues[locale.Fallback][key] = "Only in English: %s"
	t.Cleanup(func() { delete(catalogues[locale.Fallback], key) })
	if msg, in := Message("ckb", key); msg != "Only in English: %s" || in != locale.Fallback {
		t.Errorf("Message(ckb, missing) = %q in %q", msg, in)
	}
	if got := T("ckb", key, "x"); got != "Only in English: x" {
		t.Errorf("T(ckb, missing) = %q", got)
	}
	if msg, in := Message("ckb", "login.title"); in != "ckb" || msg == T("en", "login.title") {
		t.Errorf("Message(ckb, login.title) = %q in %q, want the Sorani", msg, in)
	}
	if msg, in := Message("ckb", "no.such.key"); msg != "[no.such.key]" || in != "" {
		t.Errorf("a key in no catalogue shows as %q in %q", msg, in)
	}
	if msg, in := Message("fr", "login.title"); in != locale.Fallback || msg != T("en", "login.title") {
		t.Errorf("an unknown language reads the fallback: %q in %q", msg, in)
	}
}

func TestPlural(t *testing.T) {
	if got := N("ar", "home.total", 2); got != "حادثتان يمكنك رؤيتهما." {
		t.Errorf("N(ar, 2) = %q", got)
	}
	if got := N("en", "home.total", 5); got != "5 incidents you can see." {
		t.Errorf("N(en, 5) = %q", got)
	}
	if got, in := PluralMessage("ckb", "home.total", 1); in != "ckb" || !strings.Contains(got, "%d") {
		t.Errorf("PluralMessage(ckb, 1) = %q in %q", got, in)
	}
	// A plural message a language lacks comes whole from the fallback, by
	// the fallback's rules.
	catalogues[locale.Fallback]["test.files.one"] = "one file"
	catalogues[locale.Fallback]["test.files.other"] = "%d files"
	t.Cleanup(func() {
		delete(catalogues[locale.Fallback], "test.files.one")
		delete(catalogues[locale.Fallback], "test.files.other")
	})
	for n, want := range map[int]string{0: "0 files", 1: "one file", 3: "3 files"} {
		if got := N("ar", "test.files", n); got != want {
			t.Errorf("N(ar, test.files, %d) = %q, want %q", n, got, want)
		}
	}
}

func TestDates(t *testing.T) {
	cases := []struct{ lang, ymd, prec, want string }{
		{"en", "2019-12-08", "day", "8 December 2019"},
		{"ar", "2019-12-08", "day", "8 كانون الأول 2019"},
		{"ckb", "2019-12-08", "day", "8 کانوونی یەکەم 2019"},
		{"en", "2019-10-01", "month", "October 2019"},
		{"ar", "2019-10-01", "month", "تشرين الأول 2019"},
		{"ckb", "2019-10-01", "month", "تشرینی یەکەم 2019"},
		{"ckb", "2020-07-01", "month", "تەممووز 2020"},
		{"en", "2020-01-01", "year", "2020"},
		{"en", "2019-11-18", "week", "week of 18 November 2019"},
		{"en", "garbage", "day", "garbage"},
	}
	for _, c := range cases {
		if got := Date(c.lang, c.ymd, c.prec); got != c.want {
			t.Errorf("Date(%s, %s, %s) = %q, want %q", c.lang, c.ymd, c.prec, got, c.want)
		}
	}
	for _, l := range locale.Codes() {
		for m := 1; m <= 12; m++ {
			if _, in := Message(l, "date.month."+strconv.Itoa(m)); in != l {
				t.Errorf("%s has no name for month %d", l, m)
			}
		}
	}
	if Digits("IQ-2019-0042") != "IQ-٢٠١٩-٠٠٤٢" {
		t.Errorf("Digits = %q", Digits("IQ-2019-0042"))
	}
	if T("en", "no.such.key") != "[no.such.key]" {
		t.Error("missing key not shown")
	}
}

// TestArabicPluralsVary: an Arabic plural message says one, two and a
// few differently (واحد، اثنان، ثلاثة أيام), not one form copied into
// every category, as the messages of people at risk once did.
func TestArabicPluralsVary(t *testing.T) {
	n := 0
	for _, k := range Keys("ar") {
		b, ok := strings.CutSuffix(k, ".few")
		if !ok {
			continue
		}
		n++
		few := catalogues["ar"][k]
		for _, c := range []string{".one", ".two"} {
			if catalogues["ar"][b+c] == few {
				t.Errorf("%s%s is the same as %s: %q", b, c, k, few)
			}
		}
	}
	if n == 0 {
		t.Fatal("no Arabic plural message")
	}
	if got := N("ar", "atrisk.days_late", 2); got != "متأخر يومين" {
		t.Errorf("N(ar, atrisk.days_late, 2) = %q", got)
	}
	if got := N("ar", "threat.count", 11); got != "11 تهديداً." {
		t.Errorf("N(ar, threat.count, 11) = %q", got)
	}
}
