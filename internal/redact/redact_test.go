package redact

import (
	"reflect"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
)

// base is a public incident with consent, a named consenting victim and
// a precise place; each test changes what it is about.
func base() *model.Incident {
	lat, lon := 30.50851, 47.78049
	return &model.Incident{
		ID: "0190a5d2-7c1e-7b3a-9f1e-2d3c4b5a6f70", Code: "IQ-2019-0042", Type: "killing",
		Date:  model.Date{Start: "2019-12-08", End: "2019-12-08", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-BA", District: "IQG02Q02", Locality: "Al-Jazair street", Lat: &lat, Lon: &lon, GeoPrecision: "exact"},
		Perpetrators: []model.Perpetrator{
			{Type: "unidentified_gunmen", Group: "Saraya Example", ModusOperandi: "motorcycle, two men"},
		},
		Victims: []model.Victim{{PersonID: "p1", Role: "protest_organiser", Outcome: "killed", Person: &model.Person{
			ID: "p1", NameAR: "سامر حميد", NameLatin: "Samer Hamid", Aliases: []string{"Abu Zaid"},
			Visibility: model.VisibilityPublic, Consent: true,
		}}},
		Fatalities: 1, SummaryEN: "A protest organiser was shot dead.", SummaryAR: "اغتيل منظم احتجاجات.",
		NarrativeEN: "long account", Verification: "verified", MotiveLink: "confirmed",
		Visibility: model.VisibilityPublic, Consent: true, Tags: []string{"public:tishreen", "internal-note"},
		Meta: model.Meta{UpdatedAt: time.Date(2020, 1, 2, 13, 37, 41, 0, time.FixedZone("AST", 3*3600))},
	}
}

func TestPublishGate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*model.Incident)
		opts Options
		want bool
	}{
		{"public", func(*model.Incident) {}, Options{}, true},
		{"internal", func(i *model.Incident) { i.Visibility = model.VisibilityInternal }, Options{}, false},
		{"restricted", func(i *model.Incident) { i.Visibility = model.VisibilityRestricted }, Options{}, false},
		{"empty visibility", func(i *model.Incident) { i.Visibility = "" }, Options{}, false},
		{"merged", func(i *model.Incident) { i.MergedInto = "other" }, Options{}, false},
		{"rejected", func(i *model.Incident) { i.Verification = "rejected" }, Options{}, false},
		{"unknown verification", func(i *model.Incident) { i.Verification = "maybe" }, Options{}, false},
		{"disputed, no threshold", func(i *model.Incident) { i.Verification = "disputed" }, Options{}, true},
		{"reported, no threshold", func(i *model.Incident) { i.Verification = "reported" }, Options{}, true},
		{"reported below corroborated", func(i *model.Incident) { i.Verification = "reported" }, Options{MinVerification: "corroborated"}, false},
		{"disputed below corroborated", func(i *model.Incident) { i.Verification = "disputed" }, Options{MinVerification: "corroborated"}, false},
		{"corroborated", func(i *model.Incident) { i.Verification = "corroborated" }, Options{MinVerification: "corroborated"}, true},
		{"verified", func(*model.Incident) {}, Options{MinVerification: "corroborated"}, true},
		{"unknown threshold fails closed", func(*model.Incident) {}, Options{MinVerification: "sure"}, false},
		{"no code", func(i *model.Incident) { i.Code = "" }, Options{}, false},
		{"unknown type", func(i *model.Incident) { i.Type = "secret op" }, Options{}, false},
		{"bad date", func(i *model.Incident) { i.Date.Start = "8/12/2019" }, Options{}, false},
		{"end before start", func(i *model.Incident) { i.Date.End = "2019-12-01" }, Options{}, false},
		{"unknown precision", func(i *model.Incident) { i.Date.Precision = "hour" }, Options{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := base()
			tt.edit(inc)
			if _, ok := Incident(inc, tt.opts); ok != tt.want {
				t.Errorf("published = %v, want %v", ok, tt.want)
			}
		})
	}
	if _, ok := Incident(nil, Options{}); ok {
		t.Error("nil incident published")
	}
}

func TestFields(t *testing.T) {
	inc := base()
	inc.Date = model.Date{Start: "2019-10-01", End: "2019-10-31", Precision: "month", Estimated: true}
	inc.Perpetrators = append(inc.Perpetrators, model.Perpetrator{Type: "militia", Group: "Another group"},
		model.Perpetrator{Type: "unidentified_gunmen"}, model.Perpetrator{Type: "made up"})
	inc.MotiveLink = "because"
	inc.External = &model.External{System: "acled", ID: "IRQ1", Original: map[string]string{"notes": "x"}}
	p, ok := Incident(inc, Options{})
	if !ok {
		t.Fatal("not published")
	}
	if want := (Date{"2019-10-01", "2019-10-31", "month", true}); p.Date != want {
		t.Errorf("date %+v, want %+v (an approximate date stays approximate)", p.Date, want)
	}
	if want := []string{"unidentified_gunmen", "militia", "unknown"}; !reflect.DeepEqual(p.Perpetrators, want) {
		t.Errorf("perpetrators %v, want %v", p.Perpetrators, want)
	}
	if p.MotiveLink != "" {
		t.Errorf("motive link %q not in the vocabulary was published", p.MotiveLink)
	}
	if p.SourceSystem != "acled" || p.Code != "IQ-2019-0042" || p.Fatalities != 1 || p.Verification != "verified" {
		t.Errorf("got %+v", p)
	}
	if want := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC); !p.Updated.Equal(want) || p.Updated.Location() != time.UTC {
		t.Errorf("updated %v, want the day %v", p.Updated, want)
	}
	if inc.Date.End = ""; true {
		inc.Date.Precision, inc.Date.Start = "day", "2019-12-08"
		if p, _ := Incident(inc, Options{}); p.Date.End != "2019-12-08" {
			t.Errorf("empty end became %q", p.Date.End)
		}
	}
}

func TestSourceSystem(t *testing.T) {
	for _, tt := range []struct {
		system string
		opts   Options
		want   string
	}{
		{"acled", Options{}, "acled"},
		{"partner-ngo", Options{}, ""},
		{"partner-ngo", Options{SourceSystems: []string{"partner-ngo"}}, "partner-ngo"},
		{"acled", Options{SourceSystems: []string{}}, ""},
	} {
		inc := base()
		inc.External = &model.External{System: tt.system, ID: "x"}
		if p, _ := Incident(inc, tt.opts); p.SourceSystem != tt.want {
			t.Errorf("%s %v: got %q, want %q", tt.system, tt.opts.SourceSystems, p.SourceSystem, tt.want)
		}
	}
}

func TestTags(t *testing.T) {
	tags := []string{"public:tishreen", " public:tishreen ", "source:abu-ali", "publish:precise", "PUBLISH:district", "public:", "campaign:x", "tishreen"}
	for _, tt := range []struct {
		name     string
		prefixes []string
		want     []string
	}{
		{"default", nil, []string{"public:tishreen"}},
		{"custom", []string{"campaign:", "public:"}, []string{"public:tishreen", "campaign:x"}},
		{"none", []string{}, []string{}},
		{"publication directives never", []string{"publish:", "PUBLISH:"}, []string{}},
		{"empty prefix allows nothing", []string{""}, []string{}},
	} {
		inc := base()
		inc.Tags = tags
		p, _ := Incident(inc, Options{TagPrefixes: tt.prefixes})
		if !reflect.DeepEqual(p.Tags, tt.want) {
			t.Errorf("%s: tags %q, want %q", tt.name, p.Tags, tt.want)
		}
	}
}

func TestVictims(t *testing.T) {
	inc := base()
	p1 := inc.Victims[0].Person
	inc.Victims = append(inc.Victims,
		model.Victim{PersonID: "p1", Role: "activist", Outcome: "injured", Person: p1}, // the same person again
		model.Victim{PersonID: "p2", Role: "no such role", Outcome: "fled"},            // no Person: no name
		model.Victim{Person: &model.Person{NameLatin: "Inline Person", Visibility: "public", Consent: true}, Outcome: "boom"},
	)
	p, _ := Incident(inc, Options{})
	want := []Victim{
		{Role: "protest_organiser", Outcome: "killed", NameAR: "سامر حميد", NameLatin: "Samer Hamid"},
		{Role: "", Outcome: "fled"},
		{Outcome: "", NameLatin: "Inline Person"},
	}
	if !reflect.DeepEqual(p.Victims, want) || p.VictimCount != 3 {
		t.Errorf("victims %+v (count %d), want %+v", p.Victims, p.VictimCount, want)
	}
	inc.Victims = nil
	if p, _ := Incident(inc, Options{}); p.Victims == nil || p.VictimCount != 0 || p.Tags == nil || p.Perpetrators == nil {
		t.Error("empty lists must be [] in JSON, not null")
	}
}
