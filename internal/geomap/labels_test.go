package geomap

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestLabelSize: the governorates' labels are at least 12 units (14 in
// Arabic script, which is unreadable smaller once the map is scaled to a
// screen), and every governorate has its name on the map.
func TestLabelSize(t *testing.T) {
	values := map[string]int{"IQ-BG": 3, "IQ-BA": 1}
	for lang, want := range map[string]float64{"en": 12, "ar": 14, "ckb": 14} {
		svg := string(Render(values, Options{Lang: lang, Labels: true, ID: "m", Title: "t", ValueName: "v"}))
		m := regexp.MustCompile(`<g class="labels"[^>]*font-size="([0-9.]+)"`).FindStringSubmatch(svg)
		if m == nil {
			t.Fatalf("%s: no labels", lang)
		}
		if got, _ := strconv.ParseFloat(m[1], 64); got < want {
			t.Errorf("%s: labels at %v, want at least %v", lang, got, want)
		}
		labels := svg[strings.Index(svg, `<g class="labels"`):]
		if n := strings.Count(labels[:strings.Index(labels, "</g>")], "<text"); n != 2*18 {
			t.Errorf("%s: %d label texts, want a name and a count for each of 18 governorates", lang, n)
		}
	}
}

// TestLegendRangeIsolated: in a right-to-left map a class's range reads
// left to right ("1–143"), isolated; in English it is left as it is.
func TestLegendRangeIsolated(t *testing.T) {
	values := map[string]int{"IQ-BG": 144, "IQ-BA": 1}
	ar := string(Render(values, Options{Lang: "ar", ID: "m", Title: "t", ValueName: "v"}))
	if !strings.Contains(ar, "\u20661–143\u2069") {
		t.Error("the Arabic legend's range is not isolated left to right")
	}
	en := string(Render(values, Options{Lang: "en", ID: "m", Title: "t", ValueName: "v"}))
	if !strings.Contains(en, "1–143") || strings.Contains(en, "\u20661–143") {
		t.Error("the English legend's range is not written plainly")
	}
}
