package web

import (
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
)

func TestDateWindow(t *testing.T) {
	for in, want := range map[string][3]string{
		"2019":       {"2019-01-01", "2019-12-31", "year"},
		"2019-02":    {"2019-02-01", "2019-02-28", "month"},
		"٢٠٢٠-٠٢":    {"2020-02-01", "2020-02-29", "month"},
		"2019-10-05": {"2019-10-05", "2019-10-05", "day"},
	} {
		a, b, p, ok := dateWindow(in)
		if !ok || [3]string{a, b, p} != want {
			t.Errorf("dateWindow(%q) = %s %s %s %v", in, a, b, p, ok)
		}
	}
	for _, bad := range []string{"", "19", "2019-13", "2019-02-30", "October"} {
		if _, _, _, ok := dateWindow(bad); ok {
			t.Errorf("dateWindow(%q) accepted", bad)
		}
	}
	if groupDigits(1234567) != "1,234,567" || groupDigits(999) != "999" {
		t.Error("groupDigits")
	}
}

// The validator's problems are recognised (so shown translated) and placed
// beside the right field. A new wording in package incidents fails here.
func TestValidationMessagesTranslated(t *testing.T) {
	valid := func() *model.Incident {
		return &model.Incident{Type: "assault", Date: model.Date{Start: "2019-10-05", End: "2019-10-05", Precision: "day"},
			Place: model.Place{Country: "IQ", Admin1: "IQ-BG"}, Verification: "reported", Visibility: "internal",
			Victims: []model.Victim{{Outcome: "injured", Person: &model.Person{NameAR: "علي", Visibility: "internal"}}}}
	}
	f := func(x float64) *float64 { return &x }
	cases := []struct {
		change       func(*model.Incident)
		field, key   string
		wantArgument bool
	}{
		{func(i *model.Incident) { i.Type = "" }, "type", "form.error.required", false},
		{func(i *model.Incident) { i.Type = "bogus" }, "type", "form.error.vocab", false},
		{func(i *model.Incident) { i.Date.Start = "" }, "date_start", "form.error.required", false},
		{func(i *model.Incident) { i.Date.Start = "2019-13-01" }, "date_start", "form.error.date_format", false},
		{func(i *model.Incident) { i.Date.Start, i.Date.End = "1800-01-01", "1800-01-01" }, "date_start", "form.error.date_plausible", false},
		{func(i *model.Incident) { i.Date.End = "2019-10-01" }, "date_end", "form.error.date_order", false},
		{func(i *model.Incident) { i.Date.End = "2019-10-09" }, "precision", "form.error.date_span", false},
		{func(i *model.Incident) { i.Date.End = time.Now().AddDate(0, 0, 3).Format("2006-01-02") }, "date_end", "form.error.date_plausible", false},
		{func(i *model.Incident) { i.Date.Precision = "fortnight" }, "precision", "form.error.vocab", false},
		{func(i *model.Incident) { i.Place.Admin1 = "Baghdad" }, "admin1", "form.error.governorate", false},
		{func(i *model.Incident) { i.Place.Admin1 = "IQ-XX" }, "admin1", "form.error.governorate", false},
		{func(i *model.Incident) { i.Place.District = "IQG02Q02" }, "district", "form.error.district_mismatch", false},
		{func(i *model.Incident) { i.Place.Locality = strings.Repeat("x", 301) }, "locality", "form.error.too_long", true},
		{func(i *model.Incident) { i.SummaryEN = "\xff" }, "summary_en", "form.error.encoding", false},
		{func(i *model.Incident) { i.Place.Lat = f(33) }, "lat", "form.error.coords_pair", false},
		{func(i *model.Incident) { i.Place.Lat, i.Place.Lon = f(100), f(44) }, "lat", "form.error.coords_range", false},
		{func(i *model.Incident) { i.Place.Lat, i.Place.Lon = f(33), f(200) }, "lon", "form.error.coords_range", false},
		{func(i *model.Incident) { i.Place.Lat, i.Place.Lon = f(48.85), f(2.35) }, "lat", "form.error.coords_outside", false},
		{func(i *model.Incident) { i.Place.GeoPrecision = "bogus" }, "geo_precision", "form.error.vocab", false},
		{func(i *model.Incident) { i.Fatalities = -1 }, "fatalities", "form.error.fatalities_range", false},
		{func(i *model.Incident) { i.Victims[0].Outcome = "killed" }, "fatalities", "form.error.fatalities_killed", false},
		{func(i *model.Incident) { i.Type = "killing" }, "fatalities", "form.error.killing_fatality", false},
		{func(i *model.Incident) { i.Victims[0].Outcome = "" }, "vic.0.outcome", "form.error.required", false},
		{func(i *model.Incident) { i.Victims[0].Role = "bogus" }, "vic.0.role", "form.error.vocab", false},
		{func(i *model.Incident) { i.Victims[0].Person.BirthYear = 1800 }, "vic.0.birth_year", "form.error.birth_year", false},
		{func(i *model.Incident) { i.Victims[0].Person.Gender = "bogus" }, "vic.0.gender", "form.error.vocab", false},
		{func(i *model.Incident) { i.Victims[0].Person = nil }, "vic.0.person", "form.error.name_needed", false},
		{func(i *model.Incident) { i.Victims[0].Person, i.Victims[0].PersonID = nil, "x" }, "vic.0.person", "form.error.person_unknown", false},
		{func(i *model.Incident) { i.Victims[0].PersonID = "0190a5d2-7c1e-7b3a-9f1e-2d3c4b5a6f70" }, "vic.0.person", "form.error.person_both", false},
		{func(i *model.Incident) { i.Perpetrators = []model.Perpetrator{{Type: "aliens"}} }, "perp.0.type", "form.error.vocab", false},
		{func(i *model.Incident) {
			i.Perpetrators = []model.Perpetrator{{Type: "unknown", Group: strings.Repeat("x", 301)}}
		}, "perp.0.group", "form.error.too_long", true},
		{func(i *model.Incident) { i.Verification = "" }, "verification", "form.error.required", false},
		{func(i *model.Incident) { i.MotiveLink = "bogus" }, "motive_link", "form.error.vocab", false},
		{func(i *model.Incident) { i.Visibility = "secret" }, "visibility", "form.error.vocab", false},
		{func(i *model.Incident) { i.Tags = []string{strings.Repeat("x", 301)} }, "tags", "form.error.too_long", true},
		{func(i *model.Incident) { i.Place.Locality = "statement\u202efdp.bat" }, "locality", "form.error.bidi", false},
		{func(i *model.Incident) { i.Victims[0].Person.NameAR = "\u2067علي" }, "vic.0.name_ar", "form.error.bidi", false},
		{func(i *model.Incident) {
			i.Perpetrators = []model.Perpetrator{{Type: "unknown", ModusOperandi: "\u202bx"}}
		}, "perp.0.modus", "form.error.bidi", false},
		{func(i *model.Incident) { i.Tags = []string{"a\u202d"} }, "tags", "form.error.bidi", false},
	}
	for n, tc := range cases {
		inc := valid()
		tc.change(inc)
		errs := newFormErrors()
		errs.addValidation(incidents.Validate(inc))
		got, ok := errs.Fields[tc.field]
		if !ok || got.Key != tc.key || got.Detail != "" || (len(got.Args) > 0) != tc.wantArgument {
			t.Errorf("case %d: %s = %+v (all: %+v, general: %+v), want %s", n, tc.field, got, errs.Fields, errs.General, tc.key)
		}
		for _, lang := range []string{"en", "ar"} {
			if msg := i18n.T(lang, got.Key, got.Args...); strings.HasPrefix(msg, "[") || strings.Contains(msg, "%!") {
				t.Errorf("case %d: %s message %q", n, lang, msg)
			}
		}
	}
	errs := newFormErrors()
	if errs.addValidation(incidents.Validate(valid())); !errs.empty() {
		t.Errorf("a valid incident has problems: %+v", errs)
	}
}
