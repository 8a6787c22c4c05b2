package incidents

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
)

func ptr(f float64) *float64 { return &f }

func validIncident() model.Incident {
	return model.Incident{
		Type:         "kidnapping",
		Date:         model.Date{Start: "2020-02-01", End: "2020-02-29", Precision: "month"},
		Place:        model.Place{Country: "IQ", Admin1: "IQ-BG", Lat: ptr(33.3), Lon: ptr(44.4), GeoPrecision: "exact"},
		Perpetrators: []model.Perpetrator{{Type: "militia"}},
		Victims:      []model.Victim{{Outcome: "released", Person: &model.Person{NameAR: "نور", Visibility: "internal", HomeAdmin1: "IQ-BG"}}},
		Verification: "reported",
		Visibility:   "internal",
		Tags:         []string{"tishreen"},
	}
}

func TestValidate(t *testing.T) {
	inc := validIncident()
	if err := Validate(&inc); err != nil {
		t.Fatalf("valid incident refused: %v", err)
	}
	if err := Validate(nil); err == nil {
		t.Error("nil incident accepted")
	}
	for _, tc := range []struct {
		name, field, want string
		edit              func(*model.Incident)
	}{
		{"invalid utf-8", "summary_en", "UTF-8", func(i *model.Incident) { i.SummaryEN = "a\xffb" }},
		{"summary too long", "summary_ar", "longer than 1000", func(i *model.Incident) { i.SummaryAR = strings.Repeat("ب", 1001) }},
		{"narrative too long", "narrative_en", "longer than 20000 characters (it has 20001", func(i *model.Incident) { i.NarrativeEN = strings.Repeat("x", 20001) }},
		{"name too long", "victims[0].person.name_ar", "longer than 300", func(i *model.Incident) {
			i.Victims = []model.Victim{{Outcome: "injured", Person: &model.Person{NameAR: strings.Repeat("ب", 301)}}}
		}},
		{"original column too long", "external.original.notes", "longer than 20000", func(i *model.Incident) {
			i.External = &model.External{System: "acled", ID: "IRQ1", Original: map[string]string{"notes": strings.Repeat("x", 20001)}}
		}},
		{"NaN latitude", "place.lat", "not a latitude", func(i *model.Incident) { i.Place.Lat = ptr(math.NaN()) }},
		{"infinite longitude", "place.lon", "not a longitude", func(i *model.Incident) { i.Place.Lon = ptr(math.Inf(1)) }},
		{"lower-case country", "place.country", "two capital letters", func(i *model.Incident) { i.Place.Country = "iq" }},
		{"country without gazetteer, admin1", "place.admin1", "not in country SY", func(i *model.Incident) { i.Place.Country = "SY"; i.Place.Lat, i.Place.Lon = nil, nil }},
		{"no precision", "date.precision", "missing", func(i *model.Incident) { i.Date.Precision = "" }},
		{"no start", "date.start", "missing", func(i *model.Incident) { i.Date.Start = "" }},
		{"bad end", "date.end", "YYYY-MM-DD", func(i *model.Incident) { i.Date.End = "2020-02-30" }},
		{"end in the future", "date.end", "not a plausible date", func(i *model.Incident) { i.Date.End = time.Now().AddDate(0, 0, 3).Format("2006-01-02") }},
		{"span at day precision", "date.precision", "but precision is day", func(i *model.Incident) { i.Date.Precision, i.Date.End = "day", "2020-02-05" }},
		{"before 1900", "date.start", "not a plausible date", func(i *model.Incident) { i.Date.Start, i.Date.End = "1899-12-31", "" }},
		{"perpetrator type", "perpetrators[0].type", "missing", func(i *model.Incident) { i.Perpetrators[0].Type = "" }},
		{"bad geo precision", "place.geo_precision", "geo_precision", func(i *model.Incident) { i.Place.GeoPrecision = "street" }},
		{"home admin1", "victims[0].person.home_admin1", `use "IQ-BG"`, func(i *model.Incident) { i.Victims[0].Person.HomeAdmin1 = "Baghdad" }},
		{"person visibility", "victims[0].person.visibility", "missing", func(i *model.Incident) { i.Victims[0].Person.Visibility = "" }},
		{"risk level", "victims[0].person.risk_level", "risk_level", func(i *model.Incident) { i.Victims[0].Person.RiskLevel = "extreme" }},
		{"empty tag", "tags[1]", "empty tag", func(i *model.Incident) { i.Tags = append(i.Tags, "") }},
		{"motive", "motive_link", "motive_link", func(i *model.Incident) { i.MotiveLink = "probable" }},
		{"verification", "verification", "missing", func(i *model.Incident) { i.Verification = "" }},
		{"killing without deaths", "fatalities", "at least 1 fatality", func(i *model.Incident) { i.Type = "killing" }},
		{"external system", "external.system", "lower-case", func(i *model.Incident) { i.External = &model.External{ID: "1"} }},
		// Direction controls reorder what a single line shows: "statement\u202efdp.bat" reads "statementtab.pdf".
		{"bidi in locality", "place.locality", "U+202E", func(i *model.Incident) { i.Place.Locality = "statement\u202efdp.bat" }},
		{"bidi in district", "place.district", "U+2067", func(i *model.Incident) { i.Place.District = "\u2067x" }},
		// The web form's rule, now every writer's: a district lies in its governorate.
		{"district of another governorate", "place.district", "IQG02Q02 is a district of IQ-BA, not of IQ-BG", func(i *model.Incident) { i.Place.District = "IQG02Q02" }},
		{"district without governorate", "place.district", "IQG08Q06 is a district of IQ-BG; give that governorate", func(i *model.Incident) {
			i.Place.Admin1, i.Place.District = "", "IQG08Q06"
		}},
		{"bidi in name", "victims[0].person.name_ar", "U+202B (RIGHT-TO-LEFT EMBEDDING)", func(i *model.Incident) { i.Victims[0].Person.NameAR = "\u202bنور\u202c" }},
		{"bidi in latin name", "victims[0].person.name_latin", "U+202D", func(i *model.Incident) { i.Victims[0].Person.NameLatin = "Nour\u202d" }},
		{"bidi in alias", "victims[0].person.aliases[0]", "U+2068", func(i *model.Incident) { i.Victims[0].Person.Aliases = []string{"\u2068x\u2069"} }},
		{"bidi in affiliation", "victims[0].person.affiliations[0]", "U+202A", func(i *model.Incident) { i.Victims[0].Person.Affiliations = []string{"\u202aNGO"} }},
		{"bidi in group", "perpetrators[0].group", "U+202E", func(i *model.Incident) { i.Perpetrators[0].Group = "\u202exyz" }},
		{"bidi in modus", "perpetrators[0].modus_operandi", "U+2069", func(i *model.Incident) { i.Perpetrators[0].ModusOperandi = "car\u2069" }},
		{"bidi in tag", "tags[0]", "U+202E", func(i *model.Incident) { i.Tags[0] = "fdp\u202e" }},
		{"bidi in external id", "external.id", "U+202E", func(i *model.Incident) { i.External = &model.External{System: "test", ID: "1\u202e2"} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inc := validIncident()
			tc.edit(&inc)
			err := Validate(&inc)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if e.Field != tc.field || !strings.Contains(e.Error(), tc.want) {
				t.Errorf("got field %q: %v\nwant field %q containing %q", e.Field, err, tc.field, tc.want)
			}
		})
	}
}

// Text of several lines keeps its direction controls: pasted Arabic often
// carries them, and it is shown balanced, paragraph by paragraph.
// A district of its governorate passes, and so does one given by name (as
// ACLED's admin2 is) or outside any gazetteer: only a gazetteer code can be
// placed.
func TestValidateDistrictKept(t *testing.T) {
	for _, d := range []string{"IQG08Q06", "Al-Risafa", "Basra", ""} {
		inc := validIncident()
		inc.Place.District = d
		if err := Validate(&inc); err != nil {
			t.Errorf("district %q refused: %v", d, err)
		}
	}
	inc := validIncident()
	inc.Place = model.Place{Country: "SY", District: "IQG02Q02"} // no Syrian gazetteer
	if err := Validate(&inc); err != nil {
		t.Errorf("district outside a gazetteer refused: %v", err)
	}
}

func TestValidateBidiInProse(t *testing.T) {
	inc := validIncident()
	inc.SummaryAR, inc.SummaryEN = "\u202bقُتل ناشط\u202c", "Shot \u2067ناشط\u2069"
	inc.NarrativeAR, inc.NarrativeEN = "\u202eعكس", "a\u202eb\nc"
	if err := Validate(&inc); err != nil {
		t.Errorf("direction controls in summaries and narratives refused: %v", err)
	}
}

// A person already stored, filled in on read, goes with its person_id.
func TestValidatePersonWithSameID(t *testing.T) {
	inc := validIncident()
	id := "0190a5d2-7c1e-7b3a-9f1e-2d3c4b5a6f70"
	inc.Victims[0].PersonID, inc.Victims[0].Person.ID = id, id
	if err := Validate(&inc); err != nil {
		t.Error(err)
	}
}

func TestValidateCollectsAll(t *testing.T) {
	inc := validIncident()
	inc.Type, inc.Visibility = "x", "y"
	var list ErrorList
	if err := Validate(&inc); !errors.As(err, &list) || len(list) != 2 || list[0].Field != "type" || list[1].Field != "visibility" {
		t.Errorf("got %v", err)
	}
}

func TestApplyDefaultsDates(t *testing.T) {
	for _, tc := range []struct{ start, end, precision, wantStart, wantEnd, wantPrecision string }{
		{"2019-10-25", "", "", "2019-10-25", "2019-10-25", "day"},
		{"2019-10-25", "", "day", "2019-10-25", "2019-10-25", "day"},
		{"2019-10-25", "", "week", "2019-10-25", "2019-10-31", "week"},
		{"2019-12-29", "", "week", "2019-12-29", "2020-01-04", "week"},
		{"2019-10-25", "", "month", "2019-10-01", "2019-10-31", "month"},
		{"2020-02-10", "", "month", "2020-02-01", "2020-02-29", "month"},
		{"2019-02-10", "", "month", "2019-02-01", "2019-02-28", "month"},
		{"2019-06-15", "", "year", "2019-01-01", "2019-12-31", "year"},
		{"2019-10-25", "2019-11-02", "month", "2019-10-25", "2019-11-02", "month"}, // given end: untouched
		{"bad", "", "", "bad", "", "day"},                                          // left for Validate to report
	} {
		inc := model.Incident{Date: model.Date{Start: tc.start, End: tc.end, Precision: tc.precision}}
		ApplyDefaults(&inc)
		if d := inc.Date; d.Start != tc.wantStart || d.End != tc.wantEnd || d.Precision != tc.wantPrecision {
			t.Errorf("%s/%s/%s: got %s..%s %s", tc.start, tc.end, tc.precision, d.Start, d.End, d.Precision)
		}
	}
}

func TestApplyDefaults(t *testing.T) {
	inc := model.Incident{
		Place:        model.Place{Admin1: "IQ-NI"},
		Perpetrators: []model.Perpetrator{{Group: "x"}},
		Victims:      []model.Victim{{Person: &model.Person{}}},
		Tags:         []string{" a ", "", "b", "a"},
		Visibility:   "public",
	}
	ApplyDefaults(&inc)
	if inc.Place.Country != "IQ" || inc.Perpetrators[0].Type != "unknown" || inc.Victims[0].Person.Visibility != "internal" ||
		inc.Verification != "reported" || inc.Visibility != "public" || strings.Join(inc.Tags, ",") != "a,b" {
		t.Errorf("got %+v", inc)
	}
}
