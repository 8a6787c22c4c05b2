package api

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/kinds"
)

// FuzzBodies: any body either decodes or is refused as bad input naming
// a field; nothing panics. Incident bodies decode into incidentIn, person
// bodies go through recordForm as the API reads them.
func FuzzBodies(f *testing.F) {
	for _, s := range []string{
		`{"type":"killing","date":{"start":"2021-03-04","precision":"day"},"place":{"country":"IQ","admin1":"IQ-BG"},"visibility":"internal"}`,
		`{"victims":[{"person_id":"x","outcome":"killed","role":"journalist"}],"tags":["a"]}`,
		`{"fatalities":"3"}`, `{"place":{"altitude":1}}`, `[]`, `{} {}`, `{"name_latin":"A","aliases":["B","C"],"birth_year":1990}`,
		`{"version":1.5}`, `{"consent":"yes"}`, "\xff", `{"a":` + strings.Repeat("[", 200),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, kind := range []string{"incident", "person"} {
			c := &call{r: httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(body))}
			var err error
			if kind == "incident" {
				var in incidentIn
				err = decode(c, &in)
			} else {
				var m map[string]any
				if err = decode(c, &m); err == nil {
					_, err = recordForm(kinds.Person, m, false)
				}
			}
			var bi *badInput
			if err != nil && (!errors.As(err, &bi) || bi.errs[0].Field == "") {
				t.Fatalf("%s body %q: %v is not a refusal naming a field", kind, body, err)
			}
		}
	})
}
