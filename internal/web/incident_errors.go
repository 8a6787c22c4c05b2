package web

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
)

// formError is one problem with a form, as a message key: translated when
// the page is drawn, so the user reads it in their own language.
type formError struct {
	Key    string
	Args   []any
	Detail string // the validator's English wording, shown only for rare problems
}

// formErrors are the problems of one submitted form: by field name (the
// input's name attribute), and those that belong to no one field.
type formErrors struct {
	Fields  map[string]formError
	General []formError
}

func newFormErrors() *formErrors { return &formErrors{Fields: map[string]formError{}} }

// add records a problem; a field keeps its first problem, which is the
// one to fix first. An empty field is a general problem.
func (e *formErrors) add(field, key string, args ...any) {
	e.put(field, formError{Key: key, Args: args})
}

func (e *formErrors) put(field string, fe formError) {
	if field == "" {
		e.General = append(e.General, fe)
		return
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = fe
	}
}

func (e *formErrors) empty() bool { return len(e.Fields) == 0 && len(e.General) == 0 }

// translate renders the messages in lang, for the template.
func (e *formErrors) translate(lang string) (map[string]string, []string) {
	msg := func(fe formError) string {
		s := i18n.T(lang, fe.Key, fe.Args...)
		if fe.Detail != "" {
			s += " (" + fe.Detail + ")"
		}
		return s
	}
	fields := make(map[string]string, len(e.Fields))
	for k, fe := range e.Fields {
		fields[k] = msg(fe)
	}
	var general []string
	for _, fe := range e.General {
		general = append(general, msg(fe))
	}
	return fields, general
}

// addValidation places the problems package incidents found in an
// incident (Validate, Check) beside the form fields they concern.
func (e *formErrors) addValidation(err error) { e.addProblems(err, formField) }

// addProblems places the problems of err beside the inputs field names
// for their paths.
func (e *formErrors) addProblems(err error, field func(path string) string) {
	for _, p := range incidents.Problems(err) {
		msg := ""
		if p.Err != nil {
			msg = p.Err.Error()
		}
		fe := errorKind(msg)
		for _, r := range ruleKeys {
			if errors.Is(p.Err, r.err) {
				fe = formError{Key: r.key}
			}
		}
		if fe.Key == "form.error.invalid" {
			fe.Detail = msg
		}
		e.put(field(p.Field), fe)
	}
}

// ruleKeys are the messages of the rules that depend on who writes
// (incidents.Check).
var ruleKeys = []struct {
	err error
	key string
}{
	{incidents.ErrVerifyForbidden, "form.error.verify_forbidden"},
	{incidents.ErrVisibilityForbidden, "form.error.forbidden_value"},
	{incidents.ErrVisibilityLockout, "form.error.visibility_lockout"},
	{incidents.ErrPersonUnknown, "form.error.person_unknown"},
}

// errorKinds recognise the validator's problems by their wording, most
// specific first. TestValidationMessagesTranslated keeps this in step with
// package incidents.
var errorKinds = []struct{ contains, key string }{
	{"is not a known", "form.error.vocab"},
	{"is a name, not a governorate code", "form.error.governorate"},
	{"is not a governorate code", "form.error.governorate"},
	{"not in country", "form.error.governorate"},
	{"is a district of", "form.error.district_mismatch"},
	{"is not valid UTF-8", "form.error.encoding"},
	{"invisible direction control", "form.error.bidi"},
	{"is not a date", "form.error.date_format"},
	{"is not a plausible date", "form.error.date_plausible"},
	{"is before the start", "form.error.date_order"},
	{"but precision is day", "form.error.date_span"},
	{"give both lat and lon", "form.error.coords_pair"},
	{"is not a latitude", "form.error.coords_range"},
	{"is not a longitude", "form.error.coords_range"},
	{"is outside", "form.error.coords_outside"},
	{"plausible number of deaths", "form.error.fatalities_range"},
	{"whose outcome is killed", "form.error.fatalities_killed"},
	{"a killing needs at least 1 fatality", "form.error.killing_fatality"},
	{"plausible birth year", "form.error.birth_year"},
	{"give a person or a person_id", "form.error.name_needed"},
	{"is not a rasd person ID", "form.error.person_unknown"},
	{"give either a person or a person_id", "form.error.person_both"},
}

var longerRE = regexp.MustCompile(`is longer than (\d+) characters`)

func errorKind(msg string) formError {
	if m := longerRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return formError{Key: "form.error.too_long", Args: []any{n}}
	}
	if strings.HasPrefix(msg, "missing") {
		return formError{Key: "form.error.required"}
	}
	for _, k := range errorKinds {
		if strings.Contains(msg, k.contains) {
			return formError{Key: k.key}
		}
	}
	return formError{Key: "form.error.invalid"}
}

var pathRE = regexp.MustCompile(`^(perpetrators|victims)\[(\d+)\](?:\.(.+))?$`)

// formField maps a validation path (victims[0].outcome) to the form
// input it came from (vic.0.outcome); "" for none.
func formField(path string) string {
	switch path {
	case "type", "fatalities", "summary_en", "summary_ar", "narrative_en", "narrative_ar",
		"verification", "motive_link", "visibility":
		return path
	case "date.start":
		return "date_start"
	case "date.end":
		return "date_end"
	case "date.precision":
		return "precision"
	case "place.country", "place.admin1", "place.derived":
		return "admin1"
	case "place.district":
		return "district"
	case "place.locality":
		return "locality"
	case "place.lat", "place":
		return "lat"
	case "place.lon":
		return "lon"
	case "place.geo_precision":
		return "geo_precision"
	}
	if strings.HasPrefix(path, "tags") {
		return "tags"
	}
	m := pathRE.FindStringSubmatch(path)
	if m == nil {
		return ""
	}
	if m[1] == "perpetrators" {
		sub := map[string]string{"group": "group", "modus_operandi": "modus"}[m[3]]
		if sub == "" {
			sub = "type"
		}
		return fmt.Sprintf("perp.%s.%s", m[2], sub)
	}
	sub := map[string]string{"outcome": "outcome", "role": "role", "person.name_ar": "name_ar",
		"person.name_latin": "name_latin", "person.gender": "gender", "person.birth_year": "birth_year"}[m[3]]
	if sub == "" {
		sub = "person"
		if strings.HasPrefix(m[3], "person.") {
			sub = "name_ar" // other details of a new person: shown at its name
		}
	}
	return fmt.Sprintf("vic.%s.%s", m[2], sub)
}
