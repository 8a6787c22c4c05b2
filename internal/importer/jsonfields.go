package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
)

// The import format's incident: model.Incident's JSON less what the store
// assigns (id, code, meta, merged_into). Persons likewise have no id: a
// known person is referred to by person_id.
type jsonIncident struct {
	Type         string              `json:"type"`
	Date         model.Date          `json:"date"`
	Place        model.Place         `json:"place"`
	Perpetrators []model.Perpetrator `json:"perpetrators"`
	Victims      []jsonVictim        `json:"victims"`
	Fatalities   int                 `json:"fatalities"`
	SummaryEN    string              `json:"summary_en"`
	SummaryAR    string              `json:"summary_ar"`
	NarrativeEN  string              `json:"narrative_en"`
	NarrativeAR  string              `json:"narrative_ar"`
	Verification string              `json:"verification"`
	MotiveLink   string              `json:"motive_link"`
	Visibility   string              `json:"visibility"`
	Consent      bool                `json:"consent"`
	Tags         []string            `json:"tags"`
	External     *model.External     `json:"external"`
}

type jsonVictim struct {
	PersonID string      `json:"person_id"`
	Person   *jsonPerson `json:"person"`
	Role     string      `json:"role"`
	Outcome  string      `json:"outcome"`
}

type jsonPerson struct {
	NameAR       string   `json:"name_ar"`
	NameLatin    string   `json:"name_latin"`
	Aliases      []string `json:"aliases"`
	Gender       string   `json:"gender"`
	BirthYear    int      `json:"birth_year"`
	Roles        []string `json:"roles"`
	Affiliations []string `json:"affiliations"`
	HomeAdmin1   string   `json:"home_admin1"`
	Status       string   `json:"status"`
	RiskLevel    string   `json:"risk_level"`
	Visibility   string   `json:"visibility"`
	Consent      bool     `json:"consent"`
}

var incidentType = reflect.TypeFor[jsonIncident]()

// decodeIncident checks raw against the format, naming the exact field of
// any unknown key or wrong kind of value, then decodes it. encoding/json
// alone names neither list indexes nor, for unknown fields, the path, and
// it would accept "Type" for "type".
func decodeIncident(raw []byte) (model.Incident, error) {
	var tree any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&tree); err != nil {
		return model.Incident{}, &Error{Err: fmt.Errorf("invalid JSON: %v", err)}
	}
	if _, ok := tree.(map[string]any); !ok {
		return model.Incident{}, &Error{Err: fmt.Errorf("must be an object {…}, not %s", jsonKind(tree))}
	}
	if err := checkShape(tree, incidentType, ""); err != nil {
		return model.Incident{}, err
	}
	var ji jsonIncident
	d = json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields() // belt and braces: checkShape already refused them
	if err := d.Decode(&ji); err != nil {
		return model.Incident{}, &Error{Err: err}
	}
	return ji.model(), nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func checkShape(v any, t reflect.Type, path string) *Error {
	if v == nil {
		return nil // null leaves the zero value
	}
	bad := func(want string) *Error {
		return &Error{Field: path, Err: fmt.Errorf("must be %s, not %s", want, jsonKind(v))}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return checkShape(v, t.Elem(), path)
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return bad("an object {…}")
		}
		fields := map[string]reflect.Type{}
		var names []string
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			fields[name] = f.Type
			names = append(names, name)
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			ft, ok := fields[k]
			if !ok {
				return &Error{Field: join(path, k), Err: unknownField(k, names)}
			}
			if err := checkShape(obj[k], ft, join(path, k)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return bad("a list […]")
		}
		for i, e := range list {
			if err := checkShape(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map: // external.original: text values only
		obj, ok := v.(map[string]any)
		if !ok {
			return bad("an object {…}")
		}
		for k, e := range obj {
			if _, ok := e.(string); !ok {
				return &Error{Field: join(path, k), Err: fmt.Errorf("must be text, not %s", jsonKind(e))}
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			return bad(`text in double quotes`)
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return bad("true or false")
		}
	case reflect.Int:
		n, ok := v.(json.Number)
		if !ok {
			return bad("a whole number")
		}
		if _, err := strconv.Atoi(n.String()); err != nil {
			return &Error{Field: path, Err: fmt.Errorf("%s is not a whole number", n)}
		}
	case reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			return bad("a number")
		}
		if _, err := strconv.ParseFloat(n.String(), 64); err != nil {
			return &Error{Field: path, Err: fmt.Errorf("%s is not a usable number", n)}
		}
	default:
		panic("importer: checkShape: unhandled kind " + t.Kind().String())
	}
	return nil
}

func unknownField(k string, names []string) error {
	for _, n := range names {
		if strings.EqualFold(n, k) {
			return fmt.Errorf("unknown field %q; did you mean %q? (names are lower-case)", k, n)
		}
	}
	return fmt.Errorf("unknown field %q; the fields here are %s", k, strings.Join(names, ", "))
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case json.Number:
		return "a number"
	case bool:
		return "true/false"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "null"
}

func (ji *jsonIncident) model() model.Incident {
	inc := model.Incident{
		Type: ji.Type, Date: ji.Date, Place: ji.Place, Perpetrators: ji.Perpetrators,
		Fatalities: ji.Fatalities, SummaryEN: ji.SummaryEN, SummaryAR: ji.SummaryAR,
		NarrativeEN: ji.NarrativeEN, NarrativeAR: ji.NarrativeAR,
		Verification: ji.Verification, MotiveLink: ji.MotiveLink, Visibility: ji.Visibility,
		Consent: ji.Consent, Tags: ji.Tags, External: ji.External,
	}
	for _, v := range ji.Victims {
		mv := model.Victim{PersonID: v.PersonID, Role: v.Role, Outcome: v.Outcome}
		if p := v.Person; p != nil {
			mv.Person = &model.Person{
				NameAR: p.NameAR, NameLatin: p.NameLatin, Aliases: p.Aliases, Gender: p.Gender,
				BirthYear: p.BirthYear, Roles: p.Roles, Affiliations: p.Affiliations,
				HomeAdmin1: p.HomeAdmin1, Status: p.Status, RiskLevel: p.RiskLevel,
				Visibility: p.Visibility, Consent: p.Consent,
			}
		}
		inc.Victims = append(inc.Victims, mv)
	}
	return inc
}
