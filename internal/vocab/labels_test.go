package vocab

import (
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/locale"
)

// The vocabularies a Sorani page cannot do without have every label in
// Sorani; what any incomplete language lacks is listed (it shows in the
// fallback language), and fails the test only for a complete language.
func TestLabels(t *testing.T) {
	for _, name := range []string{IncidentType, VerificationStatus} {
		for _, term := range Get(name).Terms {
			if l, ok := term.LabelIn("ckb"); !ok || l == term.EN || l == "" {
				t.Errorf("%s %s has no Sorani label (%q)", name, term.Code, l)
			}
		}
	}
	for _, g := range GazetteerFor("IQ").Governorates() {
		if l, ok := g.LabelIn("ckb"); !ok || l == g.EN {
			t.Errorf("governorate %s has no Sorani name (%q)", g.Code, l)
		}
	}
	if l, _ := Get(IncidentType).Terms[0].LabelIn("ckb"); l != "کوشتن" {
		t.Errorf("killing in Sorani is %q", l)
	}
	if p, _ := Admin1("IQ-AR"); p.Label("ckb") != "هەولێر" || p.Label("ar") != "أربيل" || p.Label("en") != "Erbil" {
		t.Errorf("Erbil: %q %q %q", p.Label("ckb"), p.Label("ar"), p.Label("en"))
	}
	for _, lang := range locale.Codes() {
		var missing []string
		for _, name := range Names() {
			for _, term := range Get(name).Terms {
				if _, ok := term.LabelIn(lang); !ok {
					missing = append(missing, name+"/"+term.Code)
				}
			}
		}
		for _, g := range gazetteers {
			for _, p := range g.places {
				if _, ok := p.LabelIn(lang); !ok {
					missing = append(missing, "gazetteer "+g.Country+"/"+p.Code)
				}
			}
		}
		switch {
		case len(missing) > 0 && locale.Get(lang).Complete:
			t.Errorf("%s lacks %d labels:\n%s", lang, len(missing), strings.Join(missing, "\n"))
		case len(missing) > 0:
			t.Logf("%s lacks %d labels (shown in %s):\n%s", lang, len(missing), locale.Fallback, strings.Join(missing, "\n"))
		}
	}
}

// A label that is missing is the fallback's, and says so; an unknown
// language reads the fallback.
func TestLabelFallback(t *testing.T) {
	term, _ := Get(IncidentType).Lookup("killing")
	if l, ok := term.LabelIn("fr"); l != "Killing" || ok {
		t.Errorf("LabelIn(fr) = %q, %v", l, ok)
	}
	if l, ok := term.LabelIn("ar"); l != "قتل" || !ok {
		t.Errorf("LabelIn(ar) = %q, %v", l, ok)
	}
	labels := allLabels()
	saved := labels["ckb"]
	t.Cleanup(func() { labels["ckb"] = saved })
	labels["ckb"] = map[string]string{}
	if l, ok := term.LabelIn("ckb"); l != "Killing" || ok {
		t.Errorf("a missing Sorani label: %q, %v", l, ok)
	}
}

// A labels file names only languages, vocabularies, gazetteers and codes
// that exist.
func TestLabelFiles(t *testing.T) {
	for name, raw := range map[string]string{
		"xx.json":  `{"vocabularies": {}}`,
		"ckb.json": `{"vocabularies": {"incident_typo": {"killing": "x"}}}`,
	} {
		if _, err := parseLabels(name, []byte(raw)); err == nil {
			t.Errorf("%s %s: accepted", name, raw)
		}
	}
	for _, raw := range []string{
		`{"vocabularies": {"incident_type": {"murder": "x"}}}`,
		`{"gazetteers": {"IQ": {"IQ-XX": "x"}}}`,
		`{"gazetteers": {"ZZ": {"IQ-BG": "x"}}}`,
		`{"vocabularies": {"incident_type": {"killing": " "}}}`,
		`{"vocabulary": {}}`,
	} {
		if _, err := parseLabels("ckb.json", []byte(raw)); err == nil {
			t.Errorf("%s: accepted", raw)
		}
	}
}
