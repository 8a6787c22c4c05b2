package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// incidentJSON returns a valid incident, changed by edit, as JSON.
func incidentJSON(t testing.TB, edit func(m map[string]any)) string {
	m := map[string]any{
		"type":       "killing",
		"date":       map[string]any{"start": "2019-12-08"},
		"place":      map[string]any{"admin1": "IQ-BA", "lat": 30.5, "lon": 47.8},
		"fatalities": 1,
		"victims": []any{map[string]any{"outcome": "killed", "role": "activist",
			"person": map[string]any{"name_ar": "سامر", "gender": "male"}}},
		"summary_en": "Activist shot dead.",
		"external":   map[string]any{"system": "test", "id": "1"},
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func fileJSON(incidents ...string) string {
	return `{"format": "rasd-incidents", "version": 1, "incidents": [` + "\n" + strings.Join(incidents, ",\n") + "\n]}"
}

func victim(m map[string]any) map[string]any { return m["victims"].([]any)[0].(map[string]any) }

func TestParseJSONDocExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/import-json.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, _ := strings.Cut(string(doc), "## Example")
	_, block, ok := strings.Cut(after, "```json\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("no ```json block after ## Example in docs/import-json.md")
	}
	incs, err := ParseJSON(strings.NewReader(block), "import-json.md")
	if err != nil {
		t.Fatalf("the documented example does not import:\n%v", err)
	}
	if len(incs) != 2 {
		t.Fatalf("got %d incidents, want 2", len(incs))
	}
	a, b := incs[0], incs[1]
	if a.Place.Country != "IQ" || a.Date.End != "2019-12-08" || a.Victims[0].Person.NameAR != "سامر عبد الكريم" || a.External.ID != "BSR-2019-117" {
		t.Errorf("first incident mapped wrongly: %+v", a)
	}
	if b.Date.Start != "2020-02-01" || b.Date.End != "2020-02-29" || b.Verification != "reported" ||
		b.Visibility != "internal" || b.Victims[0].Person.Visibility != "internal" || !b.Date.Estimated {
		t.Errorf("second incident's defaults: %+v", b)
	}
}

func TestParseJSONErrors(t *testing.T) {
	good := incidentJSON(t, nil)
	with := func(edit func(m map[string]any)) string {
		return fileJSON(good, incidentJSON(t, func(m map[string]any) {
			m["external"] = map[string]any{"system": "test", "id": "2"}
			edit(m)
		}))
	}
	for _, tc := range []struct {
		name, in     string
		record, line int
		field, want  string
	}{
		{"empty", "", 0, 0, "", "the file is empty"},
		{"not an object", "[]", 0, 1, "", `one JSON object {"format"`},
		{"wrong format", `{"format":"csv","version":1,"incidents":[]}`, 0, 0, "format", `is "csv", expected "rasd-incidents"`},
		{"newer version", `{"format":"rasd-incidents","version":2,"incidents":[]}`, 0, 0, "version", "upgrade rasd"},
		{"version text", `{"format":"rasd-incidents","version":"1","incidents":[]}`, 0, 1, "version", "must be the number 1"},
		{"no incidents", `{"format":"rasd-incidents","version":1}`, 0, 0, "incidents", "missing"},
		{"incidents not a list", `{"format":"rasd-incidents","version":1,"incidents":{}}`, 0, 1, "incidents", "must be a list"},
		{"unknown top field", `{"format":"rasd-incidents","version":1,"incidents":[],"extra":1}`, 0, 1, "extra", `unknown field "extra"`},
		{"repeated top field", `{"format":"rasd-incidents","version":1,"version":1,"incidents":[]}`, 0, 1, "version", "appears twice"},
		{"syntax error", fileJSON(good, `{"type": "killing",`+"\n"+`"date" {}}`), 2, 4, "", "invalid JSON"},
		{"cut short", fileJSON(good)[:60], 0, 2, "", "cut short"},
		{"trailing data", fileJSON(good) + "\n{}", 0, 4, "", "after the closing }"},
		{"utf-16", utf16LE("\uFEFF" + fileJSON(good)), 0, 1, "", "is UTF-16 text"},
		{"windows-1256", strings.Replace(with(func(m map[string]any) { m["summary_ar"] = "X" }), `"X"`, "\"\xe4\xf3\xd1\"", 1), 0, 3, "", "not UTF-8"},
		{"incident not an object", fileJSON(good, "null"), 2, 3, "", "must be an object {…}, not null"},
		{"unknown field", with(func(m map[string]any) { m["colour"] = "red" }), 2, 3, "colour", `unknown field "colour"; the fields here are type, date`},
		{"nested unknown field", with(func(m map[string]any) { victim(m)["person"].(map[string]any)["nmae"] = "x" }), 2, 3, "victims[0].person.nmae", "unknown field"},
		{"capitalised field", with(func(m map[string]any) { m["Type"] = m["type"]; delete(m, "type") }), 2, 3, "Type", `did you mean "type"`},
		{"number as text", with(func(m map[string]any) { m["fatalities"] = "3" }), 2, 3, "fatalities", "must be a whole number, not text"},
		{"fraction", with(func(m map[string]any) { m["fatalities"] = 1.5 }), 2, 3, "fatalities", "1.5 is not a whole number"},
		{"tags not a list", with(func(m map[string]any) { m["tags"] = "a;b" }), 2, 3, "tags", "must be a list"},
		{"unknown type", with(func(m map[string]any) { m["type"] = "murder" }), 2, 3, "type", `"murder" is not a known incident_type (use one of [killing`},
		{"missing type", with(func(m map[string]any) { delete(m, "type") }), 2, 3, "type", "missing; use one of"},
		{"unknown outcome", with(func(m map[string]any) { victim(m)["outcome"] = "kiled" }), 2, 3, "victims[0].outcome", `"kiled" is not a known outcome (use one of [killed injured`},
		{"unknown role", with(func(m map[string]any) { victim(m)["person"].(map[string]any)["roles"] = []any{"hrd", "poet"} }), 2, 3, "victims[0].person.roles[1]", `"poet" is not a known victim_role`},
		{"bad date", with(func(m map[string]any) { m["date"] = map[string]any{"start": "2019-13-01"} }), 2, 3, "date.start", "write it as YYYY-MM-DD"},
		{"date with slashes", with(func(m map[string]any) { m["date"] = map[string]any{"start": "08/12/2019"} }), 2, 3, "date.start", "YYYY-MM-DD"},
		{"end before start", with(func(m map[string]any) {
			m["date"] = map[string]any{"start": "2019-12-08", "end": "2019-12-01", "precision": "week"}
		}), 2, 3, "date.end", "before the start"},
		{"day with span", with(func(m map[string]any) { m["date"] = map[string]any{"start": "2019-12-08", "end": "2019-12-09"} }), 2, 3, "date.precision", "precision is day"},
		{"future date", with(func(m map[string]any) { m["date"] = map[string]any{"start": "2999-01-01"} }), 2, 3, "date.start", "in the future"},
		{"bad precision", with(func(m map[string]any) { m["date"] = map[string]any{"start": "2019-12-08", "precision": "decade"} }), 2, 3, "date.precision", "date_precision"},
		{"unknown admin1", with(func(m map[string]any) { m["place"] = map[string]any{"admin1": "IQ-XX"} }), 2, 3, "place.admin1", `"IQ-XX" is not a governorate code`},
		{"admin1 name", with(func(m map[string]any) { m["place"] = map[string]any{"admin1": "Basrah"} }), 2, 3, "place.admin1", `use "IQ-BA"`},
		{"no country", with(func(m map[string]any) { m["place"] = map[string]any{"locality": "x"} }), 2, 3, "place.country", "missing"},
		// A district must lie in its governorate, as the web form has it (package incidents).
		{"district of another governorate", with(func(m map[string]any) {
			m["place"] = map[string]any{"admin1": "IQ-BA", "district": "IQG08Q06", "lat": 30.5, "lon": 47.8}
		}), 2, 3, "place.district", "IQG08Q06 is a district of IQ-BG, not of IQ-BA"},
		{"district of its governorate", with(func(m map[string]any) {
			m["place"] = map[string]any{"admin1": "IQ-BA", "district": "IQG02Q02", "lat": 30.5, "lon": 47.8}
		}), 0, 0, "", ""},
		{"district name", with(func(m map[string]any) {
			m["place"] = map[string]any{"admin1": "IQ-BA", "district": "Al-Risafa", "lat": 30.5, "lon": 47.8}
		}), 0, 0, "", ""}, // a name (as ACLED gives admin2) is kept as written
		{"country mismatch", with(func(m map[string]any) { m["place"] = map[string]any{"country": "SY", "admin1": "IQ-BG"} }), 2, 3, "place.admin1", "not in country SY"},
		{"lat only", with(func(m map[string]any) { m["place"] = map[string]any{"admin1": "IQ-BG", "lat": 33.3} }), 2, 3, "place", "both lat and lon"},
		{"lat out of range", with(func(m map[string]any) { m["place"] = map[string]any{"admin1": "IQ-BG", "lat": 133.3, "lon": 44.4} }), 2, 3, "place.lat", "not a latitude"},
		{"swapped lat lon", with(func(m map[string]any) { m["place"] = map[string]any{"admin1": "IQ-BG", "lat": 44.36, "lon": 33.31} }), 2, 3, "place", "swapped"},
		{"person and id", with(func(m map[string]any) { victim(m)["person_id"] = "0190a5d2-7c1e-7b3a-9f1e-2d3c4b5a6f70" }), 2, 3, "victims[0]", "not both"},
		{"neither person nor id", with(func(m map[string]any) { delete(victim(m), "person") }), 2, 3, "victims[0]", "give a person or a person_id"},
		{"bad person id", with(func(m map[string]any) { delete(victim(m), "person"); victim(m)["person_id"] = "42" }), 2, 3, "victims[0].person_id", "not a rasd person ID"},
		{"birth year", with(func(m map[string]any) { victim(m)["person"].(map[string]any)["birth_year"] = 93 }), 2, 3, "victims[0].person.birth_year", "four digits"},
		{"fewer fatalities than killed", with(func(m map[string]any) { m["fatalities"] = 0; m["type"] = "assault" }), 2, 3, "fatalities", "fewer than the 1 victims"},
		{"negative fatalities", with(func(m map[string]any) { m["fatalities"] = -1 }), 2, 3, "fatalities", "not a plausible number"},
		{"empty tag", with(func(m map[string]any) { m["tags"] = []any{"ok", "  "} }), 0, 0, "", ""}, // tidied, not refused
		{"external without id", with(func(m map[string]any) { m["external"] = map[string]any{"system": "test"} }), 2, 3, "external.id", "missing"},
		{"external system", with(func(m map[string]any) { m["external"] = map[string]any{"system": "ACLED export", "id": "9"} }), 2, 3, "external.system", "lower-case"},
		{"duplicate external", fileJSON(good, good), 2, 3, "external.id", "also incident 1"},
		{"bad visibility", with(func(m map[string]any) { m["visibility"] = "secret" }), 2, 3, "visibility", "not a known visibility"},
		{"direction control in a name", with(func(m map[string]any) { victim(m)["person"].(map[string]any)["name_ar"] = "سامر\u202eرامس" }), 2, 3,
			"victims[0].person.name_ar", "U+202E (RIGHT-TO-LEFT OVERRIDE)"},
		{"direction control in a tag", with(func(m map[string]any) { m["tags"] = []any{"ok", "\u2066x"} }), 2, 3, "tags[1]", "U+2066"},
		{"direction control in a narrative", with(func(m map[string]any) { m["narrative_ar"] = "\u202bنص\u202c" }), 0, 0, "", ""}, // kept
	} {
		t.Run(tc.name, func(t *testing.T) {
			incs, err := ParseJSON(strings.NewReader(tc.in), "in.json")
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted, got %d incidents", len(incs))
			}
			if incs != nil {
				t.Error("incidents returned with an error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			if e.File != "in.json" || e.Record != tc.record || e.Line != tc.line || e.Field != tc.field || !strings.Contains(e.Error(), tc.want) {
				t.Errorf("got  file %q record %d line %d field %q: %v\nwant record %d line %d field %q containing %q",
					e.File, e.Record, e.Line, e.Field, err, tc.record, tc.line, tc.field, tc.want)
			}
		})
	}
}

func TestParseJSONErrorFormat(t *testing.T) {
	in := fileJSON(incidentJSON(t, nil), incidentJSON(t, func(m map[string]any) { m["external"] = nil }), incidentJSON(t, func(m map[string]any) {
		victim(m)["outcome"] = "kiled"
		m["external"] = nil
	}))
	_, err := ParseJSON(strings.NewReader(in), "incidents.json")
	want := `incidents.json: incident 3 (line 4): victims[0].outcome: "kiled" is not a known outcome (use one of [killed injured unharmed abducted released missing fled])`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestParseJSONManyErrors(t *testing.T) {
	var incs []string
	for i := range 30 {
		incs = append(incs, incidentJSON(t, func(m map[string]any) {
			m["type"] = "bad"
			m["external"] = map[string]any{"system": "test", "id": fmt.Sprint(i)}
		}))
	}
	_, err := ParseJSON(strings.NewReader(fileJSON(incs...)), "in.json")
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want an ErrorList, got %T: %v", err, err)
	}
	if len(list) != maxErrors+1 || !strings.Contains(list[maxErrors].Error(), "stopped after 20") {
		t.Errorf("got %d problems, last %v", len(list), list[len(list)-1])
	}
	if list[0].Record != 1 || list[1].Record != 2 || list[0].Field != "type" {
		t.Errorf("problems out of order: %v", list[:2])
	}
	var e *Error
	if !errors.As(err, &e) || e != list[0] {
		t.Error("errors.As does not find the first *Error in the list")
	}
}

func TestParseJSONEmptyList(t *testing.T) {
	incs, err := ParseJSON(strings.NewReader("\uFEFF"+fileJSON()), "in.json") // with a byte-order mark
	if err != nil || incs == nil || len(incs) != 0 {
		t.Errorf("got %v, %v; want an empty list", incs, err)
	}
}
