package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
)

// Form rows: a form shows the rows in use and this many empty ones; it
// reads at most maxRows of each kind.
const (
	emptyRows = 2
	maxRows   = 100
)

// defaultCountry is the country of new incidents (the gazetteer the forms
// offer).
const defaultCountry = "IQ"

// incidentForm is an incident as typed in the form: strings, so that what
// the user wrote comes back unchanged when something is wrong.
type incidentForm struct {
	Version                              int
	Type, DateStart, DateEnd, Precision  string
	Estimated                            bool
	Admin1, District, Locality, Lat, Lon string
	GeoPrecision                         string
	Perps                                []perpRow
	Victims                              []victimRow
	Fatalities                           string
	SummaryEN, SummaryAR                 string
	NarrativeEN, NarrativeAR             string
	Verification, MotiveLink, Visibility string
	Consent                              bool
	Tags                                 string
	Find                                 string // the person search box
}

type perpRow struct{ Type, Group, Modus string }

func (p perpRow) empty() bool { return p.Type == "" && p.Group == "" && p.Modus == "" }

// victimRow is either an existing person (Person, an ID) or a new one
// described inline.
type victimRow struct {
	Person                               string
	NameAR, NameLatin, Gender, BirthYear string
	Role, Outcome                        string
}

func (v victimRow) empty() bool {
	return v == victimRow{}
}

func (v victimRow) inline() bool {
	return v.NameAR != "" || v.NameLatin != "" || v.Gender != "" || v.BirthYear != ""
}

// newIncidentForm is the form of a new incident.
func newIncidentForm() *incidentForm {
	return &incidentForm{Precision: "day", Visibility: model.VisibilityInternal, Verification: "reported"}
}

// formOf fills the form from a stored incident.
func formOf(inc *model.Incident) *incidentForm {
	f := &incidentForm{Version: inc.Version, Type: inc.Type, DateStart: inc.Date.Start, DateEnd: inc.Date.End,
		Precision: inc.Date.Precision, Estimated: inc.Date.Estimated, Admin1: inc.Place.Admin1,
		District: inc.Place.District, Locality: inc.Place.Locality, GeoPrecision: inc.Place.GeoPrecision,
		Fatalities: strconv.Itoa(inc.Fatalities), SummaryEN: inc.SummaryEN, SummaryAR: inc.SummaryAR,
		NarrativeEN: inc.NarrativeEN, NarrativeAR: inc.NarrativeAR, Verification: inc.Verification,
		MotiveLink: inc.MotiveLink, Visibility: inc.Visibility, Consent: inc.Consent, Tags: strings.Join(inc.Tags, ", ")}
	if inc.Place.Lat != nil && inc.Place.Lon != nil {
		f.Lat = strconv.FormatFloat(*inc.Place.Lat, 'f', -1, 64)
		f.Lon = strconv.FormatFloat(*inc.Place.Lon, 'f', -1, 64)
	}
	for _, p := range inc.Perpetrators {
		f.Perps = append(f.Perps, perpRow{Type: p.Type, Group: p.Group, Modus: p.ModusOperandi})
	}
	for _, v := range inc.Victims {
		f.Victims = append(f.Victims, victimRow{Person: v.PersonID, Role: v.Role, Outcome: v.Outcome})
	}
	return f
}

// readIncidentForm reads a posted form, dropping empty rows so that row i
// of the form is element i of the incident (and of validation paths).
func readIncidentForm(v url.Values) *incidentForm {
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	text := func(k string) string { return strings.TrimSpace(strings.ReplaceAll(v.Get(k), "\r\n", "\n")) }
	f := &incidentForm{Type: get("type"), DateStart: get("date_start"), DateEnd: get("date_end"),
		Precision: get("precision"), Estimated: v.Get("estimated") != "", Admin1: get("admin1"),
		District: get("district"), Locality: get("locality"), Lat: get("lat"), Lon: get("lon"),
		GeoPrecision: get("geo_precision"), Fatalities: get("fatalities"), SummaryEN: text("summary_en"),
		SummaryAR: text("summary_ar"), NarrativeEN: text("narrative_en"), NarrativeAR: text("narrative_ar"),
		Verification: get("verification"), MotiveLink: get("motive_link"), Visibility: get("visibility"),
		Consent: v.Get("consent") != "", Tags: get("tags"), Find: get("find")}
	f.Version, _ = strconv.Atoi(v.Get("version"))
	for i := range maxRows {
		k := fmt.Sprintf("perp.%d.", i)
		if _, ok := v[k+"type"]; !ok {
			break
		}
		if r := (perpRow{Type: get(k + "type"), Group: get(k + "group"), Modus: text(k + "modus")}); !r.empty() {
			f.Perps = append(f.Perps, r)
		}
	}
	for i := range maxRows {
		k := fmt.Sprintf("vic.%d.", i)
		if _, ok := v[k+"outcome"]; !ok {
			break
		}
		r := victimRow{Person: get(k + "person"), NameAR: get(k + "name_ar"), NameLatin: get(k + "name_latin"),
			Gender: get(k + "gender"), BirthYear: get(k + "birth_year"), Role: get(k + "role"), Outcome: get(k + "outcome")}
		if !r.empty() {
			f.Victims = append(f.Victims, r)
		}
	}
	return f
}

// withEmptyRows is the form as shown: its rows and room for more.
func (f *incidentForm) withEmptyRows() *incidentForm {
	c := *f
	c.Perps = append(append([]perpRow(nil), f.Perps...), make([]perpRow, emptyRows)...)
	c.Victims = append(append([]victimRow(nil), f.Victims...), make([]victimRow, emptyRows)...)
	return &c
}

// precisionRank orders date precisions from fine to coarse.
var precisionRank = map[string]int{"day": 0, "week": 1, "month": 2, "year": 3}

// incident turns the form into an incident on top of base (the stored
// incident, or a new one), reporting what cannot even be parsed. Rules on
// the values are incidents.Validate's.
func (f *incidentForm) incident(base model.Incident, errs *formErrors) *model.Incident {
	inc := base
	inc.Type = f.Type
	inc.Date = model.Date{Precision: f.Precision, Estimated: f.Estimated}
	if f.DateStart != "" {
		first, _, implied, ok := dateWindow(f.DateStart)
		if !ok {
			errs.add("date_start", "form.error.date_format")
		}
		inc.Date.Start = first
		if precisionRank[implied] > precisionRank[f.Precision] {
			inc.Date.Precision = implied // "2019-10" is October, whatever the select says
		}
	}
	if f.DateEnd != "" {
		_, last, _, ok := dateWindow(f.DateEnd)
		if !ok {
			errs.add("date_end", "form.error.date_format")
		}
		inc.Date.End = last
	}
	inc.Place = model.Place{Country: base.Place.Country, Admin1: f.Admin1, District: f.District, Locality: f.Locality,
		GeoPrecision: f.GeoPrecision}
	if inc.Place.Country == "" {
		inc.Place.Country = defaultCountry
	}
	inc.Place.Lat = parseFloat(f.Lat, "lat", errs)
	inc.Place.Lon = parseFloat(f.Lon, "lon", errs)
	// A derived place the form sends back unchanged stays derived; any
	// edit makes it written (incidents.DerivePlace derives an empty one).
	if b := base.Place; b.Derived && b.Admin1 == f.Admin1 && b.District == f.District && eqFloat(b.Lat, inc.Place.Lat) && eqFloat(b.Lon, inc.Place.Lon) {
		inc.Place.Derived = true
	}
	inc.Perpetrators = nil
	for _, p := range f.Perps {
		inc.Perpetrators = append(inc.Perpetrators, model.Perpetrator{Type: p.Type, Group: p.Group, ModusOperandi: p.Modus})
	}
	inc.Victims = nil
	for i, r := range f.Victims {
		inc.Victims = append(inc.Victims, r.victim(i, f.Visibility, errs))
	}
	inc.Fatalities = 0
	if f.Fatalities != "" {
		n, err := strconv.Atoi(normDigits(f.Fatalities))
		if err != nil {
			errs.add("fatalities", "form.error.number")
		}
		inc.Fatalities = n
	}
	inc.SummaryEN, inc.SummaryAR, inc.NarrativeEN, inc.NarrativeAR = f.SummaryEN, f.SummaryAR, f.NarrativeEN, f.NarrativeAR
	inc.Verification, inc.MotiveLink, inc.Visibility, inc.Consent = f.Verification, f.MotiveLink, f.Visibility, f.Consent
	inc.Tags = strings.FieldsFunc(f.Tags, func(r rune) bool { return r == ',' || r == '،' || r == '\n' })
	return &inc
}

func (r victimRow) victim(i int, visibility string, errs *formErrors) model.Victim {
	v := model.Victim{Role: r.Role, Outcome: r.Outcome}
	k := fmt.Sprintf("vic.%d.", i)
	switch {
	case r.Person != "" && r.inline():
		errs.add(k+"person", "form.error.person_both")
		v.PersonID = r.Person
	case r.Person != "":
		v.PersonID = r.Person
	case r.NameAR == "" && r.NameLatin == "":
		errs.add(k+"name_ar", "form.error.name_needed")
		v.Person = &model.Person{}
	default:
		p := &model.Person{NameAR: r.NameAR, NameLatin: r.NameLatin, Gender: r.Gender,
			Visibility: model.VisibilityInternal}
		if visibility == model.VisibilityRestricted {
			p.Visibility = model.VisibilityRestricted // a restricted case does not expose its victims' names
		}
		if r.Role != "" {
			p.Roles = []string{r.Role}
		}
		if r.BirthYear != "" {
			n, err := strconv.Atoi(normDigits(r.BirthYear))
			if err != nil {
				errs.add(k+"birth_year", "form.error.number")
			}
			p.BirthYear = n
		}
		v.Person = p
	}
	return v
}

func parseFloat(s, field string, errs *formErrors) *float64 {
	if s == "" {
		return nil
	}
	x, err := strconv.ParseFloat(normDigits(s), 64)
	if err != nil {
		errs.add(field, "form.error.number")
		return nil
	}
	return &x
}

func eqFloat(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
