package geomap

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rasd-project/rasd/internal/locale"
)

// sample is a plausible spread of counts, with a code off the map.
var sample = map[string]int{
	"IQ-BG": 120, "IQ-NI": 85, "IQ-BA": 40, "IQ-SD": 17, "IQ-DQ": 33, "IQ-AN": 25,
	"IQ-KI": 12, "IQ-DI": 9, "IQ-SU": 6, "IQ-AR": 4, "IQ-DA": 2, "IQ-NA": 5,
	"IQ-KA": 3, "IQ-BB": 7, "IQ-WA": 1, "IQ-MA": 3, "": 4,
}

func sampleOptions(lang string) Options {
	o := Options{Lang: lang, ArabicDigits: locale.Arabic(lang), Labels: true, ShowTitle: true,
		Link: func(code string) string { return "/incidents?governorate=" + code }}
	o.Title, o.ValueName = "Incidents by governorate", "Incidents"
	if locale.Arabic(lang) {
		o.Title, o.ValueName = "الحوادث حسب المحافظة", "الحوادث"
	}
	return o
}

// TestSamples writes a sample map and tile map to $RASD_SVG_DIR (when
// set) to look at.
func TestSamples(t *testing.T) {
	dir := os.Getenv("RASD_SVG_DIR")
	if dir == "" {
		t.Skip("RASD_SVG_DIR not set")
	}
	for _, lang := range []string{"en", "ar"} {
		o := sampleOptions(lang)
		for name, svg := range map[string]string{"map": string(Render(sample, o)), "tiles": string(Tiles(sample, o))} {
			if err := os.WriteFile(filepath.Join(dir, name+"-"+lang+".svg"), []byte(svg), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
