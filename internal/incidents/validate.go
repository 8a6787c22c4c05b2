package incidents

import (
	"errors"
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/textnorm"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Limits that catch typos and pasted garbage, not real records
// (docs/limits.md): the same for the web, imports and the API.
const (
	maxSummary    = 1000  // runes; longer text belongs in the narrative
	maxShort      = 300   // runes: names, groups, places, tags, IDs
	maxNarrative  = 20000 // runes, as record.MaxText: about eight pages; longer belongs in evidence
	maxFatalities = 100000
	minYear       = 1900
)

var (
	uuidRE   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	systemRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)
)

// Validate is the one check of an incident's values, whoever writes it
// (the web form, an import, the API): every code is in its vocabulary,
// the governorate is in the gazetteer and the district in the
// governorate, dates are real and ordered, numbers are plausible, one-line
// text holds no direction control. It changes nothing (see
// ApplyDefaults). It returns nil, an *Error or an ErrorList; each error's
// Field is a path such as "victims[0].outcome", indexes counting from 0.
func Validate(inc *model.Incident) error {
	v := &validator{}
	if inc == nil {
		v.add("", errors.New("no incident"))
		return asError(v.list)
	}
	v.code("type", vocab.IncidentType, inc.Type, true)
	v.date(inc.Date)
	v.place("place", inc.Place)
	for i, p := range inc.Perpetrators {
		f := fmt.Sprintf("perpetrators[%d]", i)
		v.code(f+".type", vocab.PerpetratorType, p.Type, true)
		v.line(f+".group", p.Group, maxShort)
		v.line(f+".modus_operandi", p.ModusOperandi, maxSummary)
	}
	killed := 0
	for i, vic := range inc.Victims {
		v.victim(fmt.Sprintf("victims[%d]", i), vic, inc.Place.Country)
		if vic.Outcome == "killed" {
			killed++
		}
	}
	switch {
	case inc.Fatalities < 0 || inc.Fatalities > maxFatalities:
		v.add("fatalities", fmt.Errorf("%d is not a plausible number of deaths; give a number from 0 to %d", inc.Fatalities, maxFatalities))
	case inc.Fatalities < killed:
		v.add("fatalities", fmt.Errorf("%d is fewer than the %d victims whose outcome is killed; raise fatalities", inc.Fatalities, killed))
	case inc.Type == "killing" && inc.Fatalities == 0:
		v.add("fatalities", errors.New("a killing needs at least 1 fatality; give the number of deaths or choose another type"))
	}
	v.text("summary_en", inc.SummaryEN, maxSummary)
	v.text("summary_ar", inc.SummaryAR, maxSummary)
	v.text("narrative_en", inc.NarrativeEN, maxNarrative)
	v.text("narrative_ar", inc.NarrativeAR, maxNarrative)
	v.code("verification", vocab.VerificationStatus, inc.Verification, true)
	v.code("motive_link", vocab.MotiveLink, inc.MotiveLink, false)
	v.code("visibility", vocab.Visibility, inc.Visibility, true)
	for i, t := range inc.Tags {
		f := fmt.Sprintf("tags[%d]", i)
		if t == "" {
			v.add(f, errors.New("empty tag; remove it"))
		}
		v.line(f, t, maxShort)
	}
	if x := inc.External; x != nil {
		if !systemRE.MatchString(x.System) {
			v.add("external.system", fmt.Errorf("%q must be a short lower-case name of the source system, e.g. \"acled\"", x.System))
		}
		if x.ID == "" {
			v.add("external.id", errors.New("missing; give the record's identifier in the source system"))
		}
		v.line("external.id", x.ID, maxShort)
		for k, val := range x.Original {
			// Only a problem needs its path: an ACLED record has thirty columns.
			if !utf8.ValidString(k) {
				v.text("external.original", k, -1)
			}
			if !utf8.ValidString(val) || len(val) > maxNarrative {
				v.text("external.original."+k, val, maxNarrative)
			}
		}
	}
	return asError(v.list)
}

// validator collects every problem of one record.
type validator struct{ list ErrorList }

func (v *validator) add(field string, err error) {
	v.list = append(v.list, &Error{Field: field, Err: err})
}

func (v *validator) code(field, vocabName, code string, required bool) {
	voc := vocab.Get(vocabName)
	switch {
	case code == "" && required:
		v.add(field, fmt.Errorf("missing; use one of %v", voc.Codes()))
	case code != "":
		if err := voc.Check(code); err != nil {
			v.add(field, err)
		}
	}
}

// text checks encoding and length; max < 0 means no length limit.
func (v *validator) text(field, s string, max int) {
	if !utf8.ValidString(s) {
		v.add(field, errors.New("is not valid UTF-8 text; save the file as UTF-8"))
		return
	}
	if max >= 0 && utf8.RuneCountInString(s) > max {
		v.add(field, fmt.Errorf("is longer than %d characters (it has %d; docs/limits.md); shorten it", max, utf8.RuneCountInString(s)))
	}
}

// line checks a single-line field (a name, place, tag, code): as text,
// and without Unicode direction controls, which make one line show in a
// misleading order. Summaries and narratives keep them (they are drawn
// balanced, paragraph by paragraph).
func (v *validator) line(field, s string, max int) {
	if r, ok := textnorm.BidiControl(s); ok && utf8.ValidString(s) {
		v.add(field, fmt.Errorf("holds the invisible direction control %s, which can make text show in a misleading order "+
			"(\"fdp.exe\" as \"exe.pdf\"); remove it", textnorm.BidiName(r)))
		return
	}
	v.text(field, s, max)
}

func (v *validator) date(d model.Date) {
	v.code("date.precision", vocab.DatePrecision, d.Precision, true)
	if d.Start == "" {
		v.add("date.start", errors.New("missing; give the first day the incident may have happened, as YYYY-MM-DD"))
		return
	}
	start, err := parseDate(d.Start)
	if err != nil {
		v.add("date.start", err)
		return
	}
	// A day's margin: a record made just after midnight UTC+3 is not in the future.
	latest := time.Now().UTC().AddDate(0, 0, 1)
	if start.Year() < minYear || start.After(latest) {
		v.add("date.start", fmt.Errorf("%s is not a plausible date (before %d or in the future); check the year", d.Start, minYear))
	}
	if d.End == "" {
		return
	}
	end, err := parseDate(d.End)
	switch {
	case err != nil:
		v.add("date.end", err)
	case end.Before(start):
		v.add("date.end", fmt.Errorf("%s is before the start %s; swap them or correct one", d.End, d.Start))
	case end.After(latest):
		v.add("date.end", fmt.Errorf("%s is not a plausible date (before %d or in the future); check the year", d.End, minYear))
	case d.Precision == "day" && !end.Equal(start):
		// The precision is what to change: the refusal is the precision's.
		v.add("date.precision", fmt.Errorf("%s differs from the start %s but precision is day; use precision week, month or year for a span", d.End, d.Start))
	}
}

func (v *validator) victim(f string, vic model.Victim, country string) {
	v.code(f+".outcome", vocab.Outcome, vic.Outcome, true)
	v.code(f+".role", vocab.VictimRole, vic.Role, false)
	switch {
	case vic.Person == nil && vic.PersonID == "":
		v.add(f, errors.New("give a person or a person_id"))
	case vic.PersonID != "" && !uuidRE.MatchString(vic.PersonID):
		v.add(f+".person_id", fmt.Errorf("%q is not a rasd person ID (a UUID such as 0190a5d2-7c1e-7b3a-9f1e-2d3c4b5a6f70)", vic.PersonID))
	case vic.Person != nil && vic.PersonID != "" && vic.Person.ID != vic.PersonID:
		v.add(f, errors.New("give either a person or a person_id, not both"))
	}
	if p := vic.Person; p != nil {
		f += ".person"
		v.line(f+".name_ar", p.NameAR, maxShort)
		v.line(f+".name_latin", p.NameLatin, maxShort)
		for i, a := range p.Aliases {
			v.line(fmt.Sprintf("%s.aliases[%d]", f, i), a, maxShort)
		}
		for i, a := range p.Affiliations {
			v.line(fmt.Sprintf("%s.affiliations[%d]", f, i), a, maxShort)
		}
		v.code(f+".gender", vocab.Gender, p.Gender, false)
		if p.BirthYear != 0 && (p.BirthYear < minYear || p.BirthYear > time.Now().Year()) {
			v.add(f+".birth_year", fmt.Errorf("%d is not a plausible birth year; give four digits, e.g. 1990, or leave it out", p.BirthYear))
		}
		for i, r := range p.Roles {
			v.code(fmt.Sprintf("%s.roles[%d]", f, i), vocab.VictimRole, r, true)
		}
		if p.HomeAdmin1 != "" {
			if _, ok := vocab.Admin1(p.HomeAdmin1); !ok {
				v.add(f+".home_admin1", admin1Problem(country, p.HomeAdmin1))
			}
		}
		v.code(f+".status", vocab.PersonStatus, p.Status, false)
		v.code(f+".risk_level", vocab.RiskLevel, p.RiskLevel, false)
		v.code(f+".visibility", vocab.Visibility, p.Visibility, true)
	}
}
