package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// mkIncident stores an incident made by `by` directly, as an import would.
func (h *harness) mkIncident(by string, change func(*model.Incident)) *model.Incident {
	h.t.Helper()
	inc := &model.Incident{Type: "assault", Date: model.Date{Start: "2019-10-05", End: "2019-10-05", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-BG"}, Verification: "reported", Visibility: model.VisibilityInternal,
		SummaryEN: "An activist was beaten.", Perpetrators: []model.Perpetrator{{Type: "unknown"}}}
	if change != nil {
		change(inc)
	}
	if err := h.st.CreateIncident(context.Background(), by, inc); err != nil {
		h.t.Fatal(err)
	}
	return inc
}

func (h *harness) incident(id string) *model.Incident {
	h.t.Helper()
	inc, err := h.st.GetIncident(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return inc
}

var codeRE = regexp.MustCompile(`dir="ltr">([A-Z]{2}-\d{4}-\d{4})</a>`)

// listCodes fetches a list page and returns the incident codes it shows, in order.
func listCodes(t *testing.T, c *client, path string) []string {
	t.Helper()
	resp, body := c.get(path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	var out []string
	for _, m := range codeRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestIncidentListFilters(t *testing.T) {
	h := newHarness(t)
	analyst := h.user("huda", model.RoleAnalyst)
	h.user("ahmed", model.RoleDocumenter)
	a := h.mkIncident("ahmed", func(i *model.Incident) {
		i.Type, i.Fatalities, i.SummaryEN = "killing", 1, "Protest organiser shot in Tahrir Square."
		i.Perpetrators = []model.Perpetrator{{Type: "militia"}}
		i.Victims = []model.Victim{{Role: "journalist", Outcome: "killed", Person: &model.Person{NameAR: "صفاء السراي", Visibility: "internal"}}}
	})
	b := h.mkIncident("ahmed", func(i *model.Incident) {
		i.Type, i.Place.Admin1, i.Verification = "death_threat", "IQ-BA", "verified"
		i.Date = model.Date{Start: "2019-10-01", End: "2019-10-31", Precision: "month"}
	})
	c := h.mkIncident("ahmed", func(i *model.Incident) {
		i.Type, i.Visibility = "kidnapping", model.VisibilityPublic
		i.Date = model.Date{Start: "2020-03-01", End: "2020-03-01", Precision: "day"}
		i.Perpetrators = []model.Perpetrator{{Type: "security_forces"}}
	})
	secret := h.mkIncident("ahmed", func(i *model.Incident) { i.Visibility = model.VisibilityRestricted })
	cl := h.as(analyst)
	cases := []struct {
		query string
		want  []*model.Incident
	}{
		{"", []*model.Incident{a, b, c}},
		{"type=killing", []*model.Incident{a}},
		{"type=killing&type=kidnapping", []*model.Incident{a, c}},
		{"gov=IQ-BG", []*model.Incident{a, c}},
		{"from=2019-10-15&to=2019-10-20", []*model.Incident{b}}, // only b's month overlaps
		{"from=2019-10", []*model.Incident{a, b, c}},
		{"to=2019", []*model.Incident{a, b}},
		{"from=2020&to=2020", []*model.Incident{c}},
		{"status=verified", []*model.Incident{b}},
		{"status=verified&status=reported", []*model.Incident{a, b, c}},
		{"perp=security_forces", []*model.Incident{c}},
		{"role=journalist", []*model.Incident{a}},
		{"vis=public", []*model.Incident{c}},
		{"vis=restricted", nil}, // the analyst sees no one's restricted records but their own
		{"q=Tahrir", []*model.Incident{a}},
		{"q=صفاء", []*model.Incident{a}},
	}
	for _, tc := range cases {
		var want []string
		for _, i := range tc.want {
			want = append(want, i.Code)
		}
		if got := listCodes(t, cl, "/incidents?"+tc.query); !sameSet(got, want) {
			t.Errorf("%s: got %v, want %v", tc.query, got, want)
		}
	}
	if got := listCodes(t, cl, "/incidents?sort=code&dir=asc"); !slices.Equal(got, []string{a.Code, b.Code, c.Code}) {
		t.Errorf("sorted by code ascending: %v", got)
	}
	if got := listCodes(t, cl, "/incidents?sort=date&dir=desc"); !slices.Equal(got, []string{c.Code, a.Code, b.Code}) {
		t.Errorf("sorted by date descending: %v", got)
	}
	// The column header links keep the filters and reverse the sort.
	_, body := cl.get("/incidents?type=killing&sort=code&dir=asc")
	if !strings.Contains(body, `href="/incidents?dir=desc&amp;sort=code&amp;type=killing"`) {
		t.Error("the code column does not link to the reversed sort with the same filters")
	}
	if !strings.Contains(body, "Showing \u20661–1\u2069 of 1") {
		t.Error("no count line")
	}
	// The owner sees their own restricted incident when asking for restricted ones.
	if got := listCodes(t, h.as(h.userByName("ahmed")), "/incidents?vis=restricted"); !slices.Equal(got, []string{secret.Code}) {
		t.Errorf("owner's restricted list: %v", got)
	}
	if _, body := cl.get("/incidents?from=2019-13"); !strings.Contains(body, "Not a date") {
		t.Error("a bad date filter is not reported")
	}
}

func (h *harness) userByName(name string) *model.User {
	h.t.Helper()
	u, err := h.st.GetUserByName(context.Background(), name)
	if err != nil {
		h.t.Fatal(err)
	}
	return u
}

func TestIncidentListPaging(t *testing.T) {
	h := newHarness(t)
	u := h.user("huda", model.RoleCoordinator)
	for i := range 53 {
		h.mkIncident("huda", func(inc *model.Incident) {
			d := fmt.Sprintf("2019-%02d-%02d", 1+i/28, 1+i%28)
			inc.Date = model.Date{Start: d, End: d, Precision: "day"}
		})
	}
	c := h.as(u)
	resp, body := c.get("/incidents?gov=IQ-BG&sort=code&dir=asc")
	if resp.StatusCode != http.StatusOK {
		t.Fatal(resp.StatusCode)
	}
	first := codeRE.FindAllStringSubmatch(body, -1)
	if len(first) != 50 || !strings.Contains(body, "Showing \u20661–50\u2069 of 53") {
		t.Fatalf("page 1: %d rows", len(first))
	}
	if !strings.Contains(body, `href="/incidents?dir=asc&amp;gov=IQ-BG&amp;page=2&amp;sort=code" rel="next"`) {
		t.Fatal("no next link keeping the filters")
	}
	_, body = c.get("/incidents?dir=asc&gov=IQ-BG&page=2&sort=code")
	second := codeRE.FindAllStringSubmatch(body, -1)
	if len(second) != 3 || !strings.Contains(body, "Showing \u206651–53\u2069 of 53") || !strings.Contains(body, `rel="prev"`) {
		t.Fatalf("page 2: %d rows", len(second))
	}
	if strings.Contains(body, `rel="next"`) || second[0][1] <= first[49][1] {
		t.Error("page 2 continues wrongly")
	}
}

func TestIncidentHiddenIs404(t *testing.T) {
	h := newHarness(t)
	h.user("ahmed", model.RoleDocumenter)
	other := h.as(h.user("sara", model.RoleDocumenter))
	inc := h.mkIncident("ahmed", func(i *model.Incident) { i.Visibility = model.VisibilityRestricted })
	missing := "0190a5d2-7c1e-7b3a-9f1e-2d3c4b5a6f70"
	for _, id := range []string{inc.ID, missing} {
		for _, p := range []string{"", "/edit", "/history"} {
			if resp, _ := other.get("/incidents/" + id + p); resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s%s: %d, want 404", id, p, resp.StatusCode)
			}
		}
		for _, p := range []string{"", "/verification", "/information"} {
			if resp, _ := other.post("/incidents/"+id+p, url.Values{"status": {"reported"}}); resp.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s%s: %d, want 404", id, p, resp.StatusCode)
			}
		}
	}
	if resp, _ := h.as(h.userByName("ahmed")).get("/incidents/" + inc.ID); resp.StatusCode != http.StatusOK {
		t.Errorf("the owner cannot see their restricted incident: %d", resp.StatusCode)
	}
}

func TestIncidentVisibleNotEditable(t *testing.T) {
	h := newHarness(t)
	h.user("ahmed", model.RoleDocumenter)
	other := h.as(h.user("sara", model.RoleDocumenter))
	inc := h.mkIncident("ahmed", nil)
	resp, body := other.get("/incidents/" + inc.ID)
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "/edit") || strings.Contains(body, "/information") {
		t.Fatalf("view: %d, or it offers editing", resp.StatusCode)
	}
	if resp, _ := other.get("/incidents/" + inc.ID + "/edit"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("edit form: %d, want 403", resp.StatusCode)
	}
	form := formOf(inc)
	if resp, _ := other.post("/incidents/"+inc.ID, incidentValues(form)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("update: %d, want 403", resp.StatusCode)
	}
	if resp, _ := h.as(h.user("huda", model.RoleAnalyst)).get("/incidents/" + inc.ID + "/edit"); resp.StatusCode != http.StatusOK {
		t.Errorf("an analyst cannot edit: %d", resp.StatusCode)
	}
	if resp, _ := h.as(h.user("root", model.RoleAdmin)).get("/incidents/new"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an admin may record incidents: %d", resp.StatusCode)
	}
}
