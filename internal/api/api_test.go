package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/people"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// TestDocument: the document served is docs/openapi.json, it is a valid
// OpenAPI 3.1 document, and it describes exactly the routes served.
func TestDocument(t *testing.T) {
	docs, err := os.ReadFile("../../docs/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(docs, OpenAPI) {
		t.Fatal("docs/openapi.json differs from internal/api/openapi.json: copy the one you changed over the other")
	}
	if ok, errs := openAPIValidator(t).ValidateDocument(); !ok {
		t.Fatalf("the document is not valid OpenAPI: %v", errs[0])
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Fatalf("openapi %q, want 3.1", doc.OpenAPI)
	}
	var documented, served []string
	for p, ops := range doc.Paths {
		for m := range ops {
			if m != "parameters" {
				documented = append(documented, strings.ToUpper(m)+" "+p)
			}
		}
	}
	for _, rt := range New(Options{People: &people.People{}}).Routes() {
		served = append(served, rt.Pattern)
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Fatalf("documented:\n%v\nserved:\n%v", documented, served)
	}
}

func incidentBody(visibility string) map[string]any {
	return map[string]any{"type": "killing", "date": map[string]any{"start": "2021-03-04", "precision": "day"},
		"place": map[string]any{"country": "IQ", "admin1": "IQ-BG"}, "visibility": visibility, "fatalities": 1,
		"summary_en": "A journalist was shot in Baghdad."}
}

func TestIncidents(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		h := newHarness(t, st)
		analyst := h.user("dana", model.RoleAnalyst)
		rw, ro := h.token(analyst, model.ScopeReadWrite), h.token(analyst, model.ScopeRead)

		var created incidentOut
		a := h.do("POST", "/api/v1/incidents", rw, incidentBody("internal"))
		if a.status != http.StatusCreated {
			t.Fatalf("create: %d %s", a.status, a.body)
		}
		a.json(t, &created)
		if a.header.Get("Location") != "/api/v1/incidents/"+created.ID || created.Code == "" || created.Version != 1 {
			t.Fatalf("created %+v at %q", created, a.header.Get("Location"))
		}
		for _, id := range []string{created.ID, created.Code} {
			if a := h.do("GET", "/api/v1/incidents/"+id, ro, nil); a.status != 200 {
				t.Fatalf("get %s: %d", id, a.status)
			}
		}

		// A change at the version read; then one at a stale version.
		body := incidentBody("internal")
		body["version"], body["fatalities"] = 1, 3
		var changed incidentOut
		a = h.do("PUT", "/api/v1/incidents/"+created.ID, rw, body)
		if a.status != 200 {
			t.Fatalf("update: %d %s", a.status, a.body)
		}
		a.json(t, &changed)
		if changed.Fatalities != 3 || changed.Version != 2 {
			t.Fatalf("updated: %+v", changed)
		}
		if a := h.do("PUT", "/api/v1/incidents/"+created.ID, rw, body); a.status != http.StatusConflict {
			t.Fatalf("stale update: %d %s", a.status, a.body)
		}

		// Lists: filters, and cursors through every page.
		for range 4 {
			b := incidentBody("internal")
			b["type"] = "arbitrary_detention"
			if a := h.do("POST", "/api/v1/incidents", rw, b); a.status != 201 {
				t.Fatalf("create: %d %s", a.status, a.body)
			}
		}
		seen := map[string]bool{}
		next, pages := "", 0
		for {
			q := url.Values{"type": {"arbitrary_detention"}, "limit": {"3"}}
			if next != "" {
				q.Set("cursor", next)
			}
			var p page[hitOut]
			a := h.do("GET", "/api/v1/incidents?"+q.Encode(), ro, nil)
			if a.status != 200 {
				t.Fatalf("list: %d %s", a.status, a.body)
			}
			a.json(t, &p)
			pages++
			for _, it := range p.Items {
				if it.Type != "arbitrary_detention" || seen[it.ID] {
					t.Fatalf("listed %+v (seen %v)", it, seen[it.ID])
				}
				seen[it.ID] = true
			}
			if p.Total != 4 {
				t.Fatalf("total %d, want 4", p.Total)
			}
			if next = p.NextCursor; next == "" {
				break
			}
		}
		if len(seen) != 4 || pages != 2 {
			t.Fatalf("%d incidents in %d pages", len(seen), pages)
		}
		// A cursor given with other filters is refused, by name.
		var p page[hitOut]
		h.do("GET", "/api/v1/incidents?limit=1", ro, nil).json(t, &p)
		if a := h.do("GET", "/api/v1/incidents?type=killing&cursor="+p.NextCursor, ro, nil); a.status != 400 || !slices.Contains(a.fields(t), "cursor") {
			t.Fatalf("a cursor for other filters: %d %s", a.status, a.body)
		}
	})
}

// TestBadInput: every refusal is a problem naming the field, and nothing
// is stored.
func TestBadInput(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		h := newHarness(t, st)
		rw := h.token(h.user("dana", model.RoleAnalyst), model.ScopeReadWrite)
		with := func(k string, v any) map[string]any { b := incidentBody("internal"); b[k] = v; return b }
		nested := incidentBody("internal")
		nested["place"] = map[string]any{"country": "IQ", "admin1": "IQ-BG", "altitude": 3}
		for _, c := range []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"unknown field", with("colour", "red"), 400, "colour"},
			{"unknown nested field", nested, 400, "altitude"},
			{"wrong type", with("fatalities", "three"), 400, "fatalities"},
			{"wrong nested type", with("date", map[string]any{"start": 2021, "precision": "day"}), 400, "date.start"},
			{"oversized text", with("narrative_en", strings.Repeat("x", maxString+1)), 400, "narrative_en"},
			{"summary too long for its rule", with("summary_en", strings.Repeat("x", 1001)), 422, "summary_en"},
			{"not a code", with("type", "assassination"), 422, "type"},
			{"id of the server's", with("id", "x"), 400, "id"},
			{"version on create", with("version", 1), 400, "version"},
			{"not JSON", "{", 400, "body"},
			{"two values", `{} {}`, 400, "body"},
			{"restricted without a key", incidentBody("restricted"), 422, "visibility"},
		} {
			a := h.do("POST", "/api/v1/incidents", rw, c.body)
			if a.status != c.status || !slices.Contains(a.fields(t), c.field) || a.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: %d %s, want %d naming %s", c.name, a.status, a.body, c.status, c.field)
			}
		}
		big := `{"summary_en":"` + strings.Repeat("x", 1<<20) + `"}`
		if a := h.do("POST", "/api/v1/incidents", rw, big); a.status != http.StatusRequestEntityTooLarge {
			t.Errorf("a body over 1 MiB: %d", a.status)
		}
		for _, q := range []struct{ query, field string }{
			{"colour=red", "colour"}, {"type=assassination", "type"}, {"gov=IQ-XX", "gov"}, {"from=2019-13", "from"},
			{"limit=0", "limit"}, {"sort=name", "sort"}, {"cursor=%21", "cursor"},
		} {
			if a := h.do("GET", "/api/v1/incidents?"+q.query, rw, nil); a.status != 400 || !slices.Contains(a.fields(t), q.field) {
				t.Errorf("?%s: %d %s", q.query, a.status, a.body)
			}
		}
		var p page[hitOut]
		h.do("GET", "/api/v1/incidents", rw, nil).json(t, &p)
		if p.Total != 0 {
			t.Fatalf("%d incidents stored from bad input", p.Total)
		}
		// Persons: the same refusals by field.
		for _, c := range []struct {
			body   map[string]any
			status int
			field  string
		}{
			{map[string]any{"name_latin": "A", "visibility": "internal", "nickname": "x"}, 400, "nickname"},
			{map[string]any{"name_latin": "A", "visibility": "internal", "birth_year": "1990"}, 400, "birth_year"},
			{map[string]any{"name_latin": "A", "visibility": "internal", "aliases": "B"}, 400, "aliases"},
			{map[string]any{"name_latin": "A", "visibility": "internal", "birth_year": 2500}, 422, "birth_year"},
			{map[string]any{"name_latin": "A", "visibility": "internal", "gender": "x"}, 422, "gender"},
			{map[string]any{"name_latin": "A", "visibility": "restricted"}, 422, "visibility"},
		} {
			if a := h.do("POST", "/api/v1/persons", rw, c.body); a.status != c.status || !slices.Contains(a.fields(t), c.field) {
				t.Errorf("person %v: %d %s", c.body, a.status, a.body)
			}
		}
	})
}

// TestTokenAnswers: 401 without a working token, 403 beyond its scope,
// 429 past its rate.
func TestTokenAnswers(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		h := newHarness(t, st)
		u := h.user("dana", model.RoleAnalyst)
		ro := h.token(u, model.ScopeRead)
		if a := h.do("GET", "/api/v1/incidents", "", nil); a.status != 401 || a.header.Get("WWW-Authenticate") == "" {
			t.Fatalf("no token: %d", a.status)
		}
		if a := h.do("GET", "/api/v1/incidents", "rasd_nonsense", nil); a.status != 401 {
			t.Fatalf("unknown token: %d", a.status)
		}
		if a := h.do("POST", "/api/v1/incidents", ro, incidentBody("internal")); a.status != 403 {
			t.Fatalf("a read token writing: %d %s", a.status, a.body)
		}
		if a := h.do("GET", "/api/openapi.json", "", nil); a.status != 200 || !bytes.Equal(a.body, OpenAPI) {
			t.Fatalf("the document: %d", a.status)
		}
		// Revoked, then expired.
		ts, _ := h.tok.List(context.Background(), u)
		if err := h.tok.Revoke(context.Background(), u, ts[0].ID); err != nil {
			t.Fatal(err)
		}
		if a := h.do("GET", "/api/v1/incidents", ro, nil); a.status != 401 {
			t.Fatalf("revoked: %d", a.status)
		}
		rw := h.token(u, model.ScopeReadWrite)
		h.mu.Lock()
		h.now = h.now.Add(31 * 24 * time.Hour)
		h.mu.Unlock()
		if a := h.do("GET", "/api/v1/incidents", rw, nil); a.status != 401 {
			t.Fatalf("expired: %d", a.status)
		}
		fresh := h.token(u, model.ScopeRead)
		h.tok.PerMinute = 2
		h.do("GET", "/api/v1/vocabularies", fresh, nil)
		h.do("GET", "/api/v1/vocabularies", fresh, nil)
		if a := h.do("GET", "/api/v1/vocabularies", fresh, nil); a.status != 429 || a.header.Get("Retry-After") == "" {
			t.Fatalf("past the rate: %d", a.status)
		}
	})
}

func TestPersonsAndOrganisations(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		h := newHarness(t, st)
		rw := h.token(h.user("dana", model.RoleDocumenter), model.ScopeReadWrite)
		var p model.Person
		a := h.do("POST", "/api/v1/persons", rw, map[string]any{"name_latin": "Hadi Salim", "aliases": []string{"Abu Ali", "H. S."},
			"birth_year": 1990, "roles": []string{"journalist"}, "visibility": "internal", "consent": true})
		if a.status != 201 {
			t.Fatalf("create person: %d %s", a.status, a.body)
		}
		a.json(t, &p)
		if len(p.Aliases) != 2 || p.BirthYear != 1990 || !p.Consent || a.header.Get("Location") != "/api/v1/persons/"+p.ID {
			t.Fatalf("person %+v", p)
		}
		a = h.do("PUT", "/api/v1/persons/"+p.ID, rw, map[string]any{"version": 1, "name_latin": "Hadi Salim", "visibility": "internal"})
		if a.status != 200 {
			t.Fatalf("update person: %d %s", a.status, a.body)
		}
		p = model.Person{} // the answer, alone: fields left out are absent from it
		a.json(t, &p)
		if p.Version != 2 || p.BirthYear != 0 || len(p.Aliases) != 0 {
			t.Fatalf("replaced: %+v", p)
		}
		if a := h.do("PUT", "/api/v1/persons/"+p.ID, rw, map[string]any{"name_latin": "X", "visibility": "internal"}); a.status != 400 {
			t.Fatalf("update without version: %d", a.status)
		}
		var o model.Organisation
		a = h.do("POST", "/api/v1/organisations", rw, map[string]any{"name_en": "Free Press Watch", "kind": "ngo", "status": "active", "visibility": "public"})
		if a.status != 201 {
			t.Fatalf("create organisation: %d %s", a.status, a.body)
		}
		a.json(t, &o)
		var pg page[model.Organisation]
		h.do("GET", "/api/v1/organisations?q=press", rw, nil).json(t, &pg)
		if pg.Total != 1 || pg.Items[0].ID != o.ID {
			t.Fatalf("list organisations: %+v", pg)
		}
		if a := h.do("GET", "/api/v1/persons/"+p.ID, rw, nil); a.status != 200 {
			t.Fatalf("get person: %d", a.status)
		}
	})
}

func TestReads(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		h := newHarness(t, st)
		u := h.user("dana", model.RoleAnalyst)
		rw := h.token(u, model.ScopeReadWrite)
		for i := range 3 {
			b := incidentBody("internal")
			b["verification"] = "verified"
			b["summary_en"] = fmt.Sprintf("Reporter number %d detained at a checkpoint", i)
			if a := h.do("POST", "/api/v1/incidents", rw, b); a.status != 201 {
				t.Fatalf("create: %d %s", a.status, a.body)
			}
		}
		var s struct {
			Incidents []hitOut `json:"incidents"`
		}
		h.do("GET", "/api/v1/search?q=checkpoint", rw, nil).json(t, &s)
		if len(s.Incidents) != 3 {
			t.Fatalf("search found %d", len(s.Incidents))
		}
		if a := h.do("GET", "/api/v1/search", rw, nil); a.status != 400 {
			t.Fatalf("search without q: %d", a.status)
		}
		var fig stats.JSON
		a := h.do("GET", "/api/v1/statistics?last=all&by=governorate&receipt=true&limit=2", rw, nil)
		if a.status != 200 {
			t.Fatalf("statistics: %d %s", a.status, a.body)
		}
		a.json(t, &fig)
		if fig.Total.Incidents != 3 || fig.Receipt == nil || len(fig.Receipt.Incidents) != 2 || fig.Receipt.NextCursor == "" {
			t.Fatalf("statistics: %+v %+v", fig, fig.Receipt)
		}
		if a := h.do("GET", "/api/v1/statistics?last=12x", rw, nil); a.status != 400 || !slices.Contains(a.fields(t), "last") {
			t.Fatalf("a bad --last: %d %s", a.status, a.body)
		}
		var v struct {
			Terms []termOut `json:"terms"`
		}
		h.do("GET", "/api/v1/vocabularies/incident_type", rw, nil).json(t, &v)
		if len(v.Terms) == 0 || v.Terms[0].AR == "" || v.Terms[0].EN == "" {
			t.Fatalf("vocabulary: %+v", v)
		}
		if a := h.do("GET", "/api/v1/vocabularies/nothing", rw, nil); a.status != 404 {
			t.Fatalf("an unknown vocabulary: %d", a.status)
		}
		h.do("GET", "/api/v1/vocabularies", rw, nil)
		var g struct {
			Governorates []placeOut `json:"governorates"`
			Districts    []placeOut `json:"districts"`
		}
		h.do("GET", "/api/v1/gazetteer", rw, nil).json(t, &g)
		if len(g.Governorates) < 18 || len(g.Districts) == 0 {
			t.Fatalf("gazetteer: %d governorates, %d districts", len(g.Governorates), len(g.Districts))
		}
	})
}

// TestValidatorSeesDrift: the validator the tests rely on refuses an
// answer that is not the document's (a wrong type, an unknown field, a
// problem sent as plain JSON), so that their passing means something.
func TestValidatorSeesDrift(t *testing.T) {
	for _, c := range []struct{ ctype, body string }{
		{"application/json", `{"vocabularies": 3}`},
		{"application/json", `{"vocabularies": [], "extra": true}`},
		{"application/json", `{"name": "x"}`},
	} {
		req, _ := http.NewRequest("GET", "/api/v1/vocabularies", nil)
		resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {c.ctype}},
			Body: io.NopCloser(strings.NewReader(c.body))}
		if ok, _ := openAPIValidator(t).ValidateHttpResponse(req, resp); ok {
			t.Errorf("%s was accepted", c.body)
		}
	}
}
