package redact

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/redact/redacttest"
)

// Canaries that are not strings: precise coordinates, a time of day, a
// birth year and a record version.
const (
	canaryLat, canaryLon = 33.97531, 44.86420
	canaryBirthYear      = 1931
)

var canaryDigits = []string{"9753", "8642", "1931", "13:37", "4242"}

// canaryIncident is an incident whose every field holds a canary, except
// those that must be valid for it to be published at all.
func canaryIncident(consent bool, personConsent bool, tags ...string) *model.Incident {
	inc := &model.Incident{}
	redacttest.Fill(reflect.ValueOf(inc).Elem(), "")
	inc.Code, inc.Type, inc.Verification, inc.MotiveLink = "IQ-2019-0042", "killing", "verified", "confirmed"
	inc.Date = model.Date{Start: "2019-12-08", End: "2019-12-08", Precision: "day"}
	inc.Place.Country, inc.Place.Admin1, inc.Place.GeoPrecision = "IQ", "IQ-BG", "exact"
	lat, lon := canaryLat, canaryLon
	inc.Place.Lat, inc.Place.Lon = &lat, &lon
	inc.Visibility, inc.Consent, inc.MergedInto, inc.Fatalities = model.VisibilityPublic, consent, "", 2
	inc.Tags = append([]string{"CANARY-internal-tag", "public:ok"}, tags...)
	inc.Meta.Version, inc.Meta.UpdatedAt = 4242, time.Date(2020, 1, 2, 13, 37, 0, 0, time.UTC)
	for i := range inc.Perpetrators {
		inc.Perpetrators[i].Type = "militia"
	}
	for i := range inc.Victims {
		v := &inc.Victims[i]
		v.Role, v.Outcome = "journalist", "killed"
		v.Person.Visibility, v.Person.Consent, v.Person.BirthYear = model.VisibilityPublic, personConsent, canaryBirthYear
		if consent && personConsent { // names allowed: make them plain, keep aliases canaries
			v.Person.NameAR, v.Person.NameLatin = "اسم منشور", fmt.Sprintf("Published Name %d", i)
		}
	}
	if consent { // the summaries are allowed out; everything else stays a canary
		inc.SummaryEN, inc.SummaryAR = "A journalist was killed.", "قُتل صحفي."
	}
	return inc
}

// CanaryIncidents covers the consent combinations and publication levels.
func canaryIncidents() map[string]*model.Incident {
	return map[string]*model.Incident{
		"no consent":                  canaryIncident(false, false),
		"no consent, precise tag":     canaryIncident(false, true, "publish:precise"),
		"consent, names withheld":     canaryIncident(true, false),
		"consent, names published":    canaryIncident(true, true),
		"consent, district tag":       canaryIncident(true, true, "publish:district"),
		"consent, names in summaries": withNamesInSummary(canaryIncident(true, false)),
	}
}

func withNamesInSummary(inc *model.Incident) *model.Incident {
	inc.SummaryEN = "The victim " + inc.Victims[0].Person.NameLatin + " was killed."
	inc.SummaryAR = "قُتل " + inc.Victims[1].Person.Aliases[0] + "."
	return inc
}

func assertNoCanary(t *testing.T, what string, out []byte) {
	t.Helper()
	s := string(out)
	if i := strings.Index(s, "CANARY"); i >= 0 {
		t.Errorf("%s leaks %q", what, s[i:min(len(s), i+60)])
	}
	for _, d := range canaryDigits {
		if strings.Contains(s, d) {
			t.Errorf("%s leaks %q", what, d)
		}
	}
}

func TestCanaries(t *testing.T) {
	for name, inc := range canaryIncidents() {
		p, ok := Incident(inc, Options{})
		if !ok {
			t.Fatalf("%s: not published", name)
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		assertNoCanary(t, name, out)
		if p.VictimCount != 2 || len(p.Perpetrators) != 1 || p.Tags[0] != "public:ok" || p.Place.Admin1 != "IQ-BG" {
			t.Errorf("%s: the allowed fields are missing: %s", name, out)
		}
		out, _ = json.Marshal(Memorials(inc, Options{}))
		assertNoCanary(t, name+" memorial", out)
	}
	// The canary is real: the precise case does publish the coordinates.
	p, _ := Incident(canaryIncident(true, true, "publish:precise"), Options{})
	if out, _ := json.Marshal(p); !strings.Contains(string(out), "9753") || !strings.Contains(string(out), "CANARY.Place.Locality") {
		t.Errorf("precise publication lost its coordinates or locality: %s", out)
	}
}
