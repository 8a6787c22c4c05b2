package web

import (
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/vocab"
)

func TestOptionsHTML(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		plain := string(optionsHTML("reliability", lang, "", true))
		if strings.Contains(plain, "selected") {
			t.Errorf("%s: nothing chosen, yet %q", lang, plain)
		}
		if again := string(optionsHTML("reliability", lang, "", true)); again != plain {
			t.Errorf("%s: the cached list differs", lang)
		}
		terms := vocab.Get("reliability").Terms
		if n := strings.Count(plain, "<option "); n != len(terms) {
			t.Errorf("%s: %d options, want %d", lang, n, len(terms))
		}
		b := terms[1]
		chosen := string(optionsHTML("reliability", lang, b.Code, true))
		want := `<option value="` + b.Code + `" selected>` + b.Code + " · " + b.Label(lang) + "</option>"
		if !strings.Contains(chosen, want) || strings.Count(chosen, "selected") != 1 {
			t.Errorf("%s: want %q in %q", lang, want, chosen)
		}
		// A chosen list must not be what later plain views get.
		if string(optionsHTML("reliability", lang, "", true)) != plain {
			t.Errorf("%s: a chosen value leaked into the cache", lang)
		}
		if strings.Contains(string(optionsHTML("source_type", lang, "", false)), " · ") {
			t.Errorf("%s: codes shown without withCode", lang)
		}
	}
	// A hostile selected value is escaped, never markup, and selects nothing.
	if h := string(optionsHTML("reliability", "en", `"><script>`, true)); strings.Contains(h, "<script>") || strings.Contains(h, "selected") {
		t.Errorf("hostile value: %q", h)
	}
}
