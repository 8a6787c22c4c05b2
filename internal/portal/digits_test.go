package portal_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/portal"
)

// svgText is the text a reader sees in an SVG: its <text> and <title>
// elements (coordinates and attributes are always Latin digits).
var svgText = regexp.MustCompile(`(?s)<(?:text|title)[^>]*>([^<]*)</(?:text|title)>`)

// visible is what a reader sees of a page's numbers: figures, table cells
// and the SVG charts' and map's labels (no attributes, no incident codes).
func digitsIn(page string) (latin, arabic int) {
	var b strings.Builder
	for _, m := range svgText.FindAllStringSubmatch(page, -1) {
		b.WriteString(m[1])
	}
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`<a class="big"[^>]*>([^<]*)</a>`),
		regexp.MustCompile(`<td class="num">(?:<a[^>]*>)?([^<]*)`),
		regexp.MustCompile(`<p class="quote">([^<]*)</p>`),
	} {
		for _, m := range re.FindAllStringSubmatch(page, -1) {
			b.WriteString(m[1])
		}
	}
	for _, r := range b.String() {
		switch {
		case r >= '0' && r <= '9':
			latin++
		case r >= '٠' && r <= '٩':
			arabic++
		}
	}
	return latin, arabic
}

// TestArabicDigits: with Options.ArabicDigits the Arabic pages and their
// SVG charts and map write ٠-٩; without it, and on English pages always,
// Latin digits.
func TestArabicDigits(t *testing.T) {
	st := openStore(t)
	if _, err := st.ImportIncidents(context.Background(), "demo", demo.Incidents(demo.Options{Incidents: 400, Seed: 3}), nil); err != nil {
		t.Fatal(err)
	}
	for _, arabic := range []bool{true, false} {
		dir, _ := publish(t, st, portal.Options{ArabicDigits: arabic})
		site := files(t, dir)
		for _, name := range []string{"ar/index.html", "en/index.html", "ar/figures/all/index.html", "ar/incidents/index.html"} {
			page := site[name]
			latin, ar := digitsIn(page)
			if strings.HasPrefix(name, "ar/index") {
				if n := strings.Count(page, "<svg"); n < 4 {
					t.Fatalf("%s: %d SVGs, want the charts and the map", name, n)
				}
			}
			wantArabic := arabic && strings.HasPrefix(name, "ar/")
			if wantArabic && (ar == 0 || latin != 0) || !wantArabic && (ar != 0 || latin == 0) {
				t.Errorf("ArabicDigits=%v %s: %d Latin and %d Arabic-Indic digits in its figures and charts", arabic, name, latin, ar)
			}
		}
		inc := ""
		for name := range site {
			if strings.HasPrefix(name, "ar/incidents/IQ-") {
				inc = site[name]
				break
			}
		}
		dates := regexp.MustCompile(`<dd>([^<]*)`).FindAllStringSubmatch(inc, -1)
		var all string
		for _, d := range dates {
			all += d[1]
		}
		if hasArabic := strings.ContainsAny(all, "٠١٢٣٤٥٦٧٨٩"); hasArabic != arabic || arabic && strings.ContainsAny(all, "0123456789") {
			t.Errorf("ArabicDigits=%v: an Arabic incident page's dates and counts are %q", arabic, all)
		}
	}
}
