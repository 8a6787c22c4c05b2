package chart

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rasd-project/rasd/internal/locale"
)

// TestSamples writes sample charts to $RASD_SVG_DIR (when set) to look at.
func TestSamples(t *testing.T) {
	dir := os.Getenv("RASD_SVG_DIR")
	if dir == "" {
		t.Skip("RASD_SVG_DIR not set")
	}
	for _, lang := range []string{"en", "ar"} {
		for name, c := range samples(lang) {
			f := filepath.Join(dir, fmt.Sprintf("chart-%s-%s.svg", name, lang))
			if err := os.WriteFile(f, []byte(c.SVG()), 0o644); err != nil {
				t.Fatal(err)
			}
			h := `<!doctype html><html lang="` + lang + `" dir="` + map[string]string{"ar": "rtl", "en": "ltr"}[lang] + `"><meta charset="utf-8"><body>` + string(c.SVG()) + string(c.Table()) + `</body></html>`
			if err := os.WriteFile(f+".html", []byte(h), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func samples(lang string) map[string]*Chart {
	ar := locale.Arabic(lang)
	pick := func(en, a string) string {
		if ar {
			return a
		}
		return en
	}
	o := Options{Lang: lang, ArabicDigits: ar, ShowTitle: true}
	var months []Point
	for i, v := range []int{3, 7, 12, 9, 0, 15, 22, 18, 11, 6, 4, 9, 14, 30, 25, 8, 5} {
		y, m := 2023+(i+8)/12, (i+8)%12+1
		if v == 0 {
			continue // a gap, filled with zero
		}
		months = append(months, Point{Key: fmt.Sprintf("%d-%02d", y, m), Value: v, Href: fmt.Sprintf("/stats/receipt?month=%d-%02d", y, m)})
	}
	ts := o
	ts.Title = pick("Incidents by month, at least", "الحوادث حسب الشهر (على الأقل)")
	ts.ValueName = pick("Incidents", "الحوادث")
	line := ts
	line.Line = true
	gov := []Point{
		{Label: pick("Baghdad", "بغداد"), Value: 120, Href: "/r?g=IQ-BG"},
		{Label: pick("Nineveh", "نينوى"), Value: 85, Href: "/r?g=IQ-NI"},
		{Label: pick("Basra", "البصرة"), Value: 40, Href: "/r?g=IQ-BA"},
		{Label: pick("Salah ad-Din", "صلاح الدين"), Value: 17},
		{Label: pick("Dhi Qar", "ذي قار"), Value: 1234},
		{Label: "<script>alert('x')</script> & \"Co\"", Value: 0},
	}
	bo := o
	bo.Title = pick("Incidents by governorate", "الحوادث حسب المحافظة")
	series := []string{pick("Killed", "قُتل"), pick("Injured", "أُصيب"), pick("Detained", "اعتُقل"), pick("Threatened", "هُدِّد")}
	st := []Stack{
		{Label: pick("Killing", "قتل"), Values: []int{30, 12, 0, 2}, Href: "/r?t=killing", Hrefs: []string{"/r?t=killing&o=killed"}},
		{Label: pick("Arbitrary detention", "احتجاز تعسفي"), Values: []int{1, 4, 56, 9}},
		{Label: pick("Threat", "تهديد"), Values: []int{0, 0, 3, 44}},
	}
	so := o
	so.Title = pick("Outcomes by type of incident", "النتائج حسب نوع الحادثة")
	return map[string]*Chart{
		"columns": TimeSeries(months, ts),
		"line":    TimeSeries(months, line),
		"bars":    Bars(gov, bo),
		"stacked": StackedBars(series, st, so),
		"empty":   Bars(nil, bo),
	}
}
