package opendata

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/redact"
	"github.com/rasd-project/rasd/internal/redact/redacttest"
)

// canary is a publishable incident with a canary in every field that must
// not leave: narratives, locality, precise coordinates (digits 9753 and
// 8642), perpetrator groups and modi operandi, names without consent,
// aliases, external IDs and original values, internal tags, IDs, users.
func canary(code string, consent, personConsent bool, tags ...string) *model.Incident {
	inc := &model.Incident{}
	redacttest.Fill(reflect.ValueOf(inc).Elem(), "")
	lat, lon := 33.97531, 44.86420
	inc.Code, inc.Type, inc.Verification, inc.MotiveLink = code, "killing", "verified", "confirmed"
	inc.Date = model.Date{Start: "2019-12-08", End: "2019-12-08", Precision: "day"}
	inc.Place.Country, inc.Place.Admin1, inc.Place.GeoPrecision, inc.Place.Lat, inc.Place.Lon = "IQ", "IQ-BG", "exact", &lat, &lon
	inc.Visibility, inc.Consent, inc.MergedInto, inc.Fatalities = model.VisibilityPublic, consent, "", 2
	inc.Tags = append([]string{"CANARY-internal", "public:ok"}, tags...)
	inc.Meta.UpdatedAt = time.Date(2020, 1, 2, 13, 37, 0, 0, time.UTC)
	for i := range inc.Perpetrators {
		inc.Perpetrators[i].Type = "militia"
	}
	for i := range inc.Victims {
		v := &inc.Victims[i]
		v.Role, v.Outcome = "journalist", "killed"
		v.Person.Visibility, v.Person.Consent = model.VisibilityPublic, personConsent
		if consent && personConsent {
			v.Person.NameAR, v.Person.NameLatin = "اسم منشور", "Published Name"
		}
	}
	if consent {
		inc.SummaryEN, inc.SummaryAR = "A journalist was killed.", "قُتل صحفي."
		if !personConsent { // a consented summary naming a victim who did not consent
			inc.SummaryEN += " " + inc.Victims[0].Person.NameLatin
		}
	}
	return inc
}

func TestNoCanaryInAnyFile(t *testing.T) {
	incs := []*model.Incident{
		canary("IQ-1", false, false), canary("IQ-2", false, true, "publish:precise"),
		canary("IQ-3", true, false), canary("IQ-4", true, true), canary("IQ-5", true, true, "publish:district"),
	}
	var ps []redact.Public
	for p := range Redacted(func(yield func(*model.Incident) bool) {
		for _, inc := range incs {
			if !yield(inc) {
				return
			}
		}
	}, redact.Options{}) {
		ps = append(ps, p)
	}
	if len(ps) != len(incs) {
		t.Fatalf("%d of %d published", len(ps), len(incs))
	}
	files := map[string]func(*bytes.Buffer) Writer{
		"csv": func(b *bytes.Buffer) Writer { return NewCSV(b, CSVOptions{}) }, "json": newJSON, "jsonl": newJSONLines,
		"geojson": newGeoJSON, "acled": func(b *bytes.Buffer) Writer { return NewACLED(b, ACLEDOptions{}) },
		"atom-en": func(b *bytes.Buffer) Writer { return NewAtom(b, feed("en")) },
		"atom-ar": func(b *bytes.Buffer) Writer { return NewAtom(b, feed("ar")) },
	}
	for name, w := range files {
		out := string(write(t, w, ps))
		if i := strings.Index(out, "CANARY"); i >= 0 {
			t.Errorf("%s leaks %q", name, out[i:min(len(out), i+50)])
		}
		for _, d := range []string{"9753", "8642", "13:37"} {
			if strings.Contains(out, d) {
				t.Errorf("%s leaks %s", name, d)
			}
		}
		if !strings.Contains(out, "IQ-5") {
			t.Errorf("%s lost the records", name)
		}
	}
}
