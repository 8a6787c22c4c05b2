package web

import (
	"context"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html/atom"

	"github.com/rasd-project/rasd/internal/model"
)

// The filter-narrowing attack (docs/counting.md, "What a figure may
// reveal"): someone who may not see a restricted incident narrows the
// dashboard's filters to its type, governorate, day, perpetrator and
// victims, and watches which figure it changes. The rule under test: what
// they are shown is the same, page for page and byte for byte, whether
// the restricted incident exists or not; those who may see it see it
// counted.

// disclosureFilters are the narrowing filters that all match the
// restricted incident below, and nothing else of dashIncidents but what
// their combination with the others leaves.
var disclosureFilters = []string{"type=torture", "governorate=IQ-NI", "perpetrator=tribal", "role=lawyer", "outcome=missing"}

// disclosureWindows are windows holding its day: the default (last 12
// months), all time, the day itself, its month, and other thresholds.
var disclosureWindows = []string{"", "last=all", "since=2025-02-14&until=2025-02-14", "since=2025-02&until=2025-02",
	"last=all&min-verification=reported", "last=all&min-verification=verified"}

// restrictedCase is the incident the attacker is after: recorded by
// dash-other, restricted, counted (corroborated).
func restrictedCase() *model.Incident {
	return &model.Incident{Type: "torture", Date: model.Date{Start: "2025-02-14", End: "2025-02-14", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-NI"}, Verification: "corroborated", Visibility: model.VisibilityRestricted,
		Perpetrators: []model.Perpetrator{{Type: "tribal"}}, SummaryEN: "Restricted case R",
		Victims: []model.Victim{{Role: "lawyer", Outcome: "missing", Person: &model.Person{NameLatin: "Victim R", Visibility: model.VisibilityInternal}}}}
}

// disclosureQueries are the dashboard's query strings for the attack: no
// filter, each filter alone and all of them, over every window; and every
// pair of filters over the day.
func disclosureQueries() []string {
	sets := [][]string{nil, disclosureFilters}
	for _, f := range disclosureFilters {
		sets = append(sets, []string{f})
	}
	var out []string
	for _, w := range disclosureWindows {
		for _, s := range sets {
			out = append(out, strings.Trim(strings.Join(append(slices.Clone(s), w), "&"), "&"))
		}
	}
	for i, a := range disclosureFilters {
		for _, b := range disclosureFilters[i+1:] {
			out = append(out, a+"&"+b+"&"+disclosureWindows[2])
		}
	}
	return out
}

// pagesOf fetches, as c, the dashboard and its receipt for every query,
// and every receipt the first dashboard links to: path → body.
func pagesOf(t *testing.T, c *client, queries []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	get := func(path string) string {
		resp, body := c.get(path)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, body)
		}
		out[path] = sameCSRF(body)
		return body
	}
	for i, q := range queries {
		body := get("/dashboard?" + q)
		get("/dashboard/receipt?" + q)
		if i > 0 {
			continue
		}
		for _, a := range find(parseHTML(t, body), atom.A, "") {
			if href, _ := attr(a, "href"); strings.HasPrefix(href, "/dashboard/receipt?") {
				get(href)
			}
		}
	}
	return out
}

func TestDashboardRestrictedNotInferable(t *testing.T) {
	h, _, coordinator, documenter := dashFixture(t)
	analyst, _ := h.st.GetUserByName(context.Background(), "dash-analyst")
	admin := h.user("dash-admin", model.RoleAdmin)
	protection := h.user("dash-protection", model.RoleProtection)
	owner, _ := h.st.GetUserByName(context.Background(), "dash-other")

	all := disclosureQueries()
	few := []string{strings.Join(disclosureFilters, "&") + "&" + disclosureWindows[2], "last=all"}
	for _, f := range disclosureFilters {
		few = append(few, f+"&last=all")
	}
	type reader struct {
		u       *model.User
		queries []string
		pages   map[string]string
		c       *client
	}
	readers := []*reader{{u: documenter, queries: all}, {u: analyst, queries: few}, {u: admin, queries: few}}
	for _, r := range readers {
		r.c = h.as(r.u)
		r.pages = pagesOf(t, r.c, r.queries)
	}
	members := []*model.User{owner, coordinator, protection}
	exact := "type=torture&last=all"
	for _, u := range members {
		if figs := headlines(t, mustGet(t, h.as(u), "/dashboard?"+exact)); len(figs) == 0 || figs[0].incidents != "0" {
			t.Fatalf("%s before the restricted incident: %+v, want 0 tortures", u.Username, figs)
		}
	}

	inc := restrictedCase()
	if err := h.st.CreateIncident(context.Background(), owner.Username, inc); err != nil {
		t.Fatal(err)
	}

	for _, r := range readers {
		after := pagesOf(t, r.c, r.queries)
		differ := 0
		for path, before := range r.pages {
			if after[path] != before {
				differ++
				if differ <= 5 {
					t.Errorf("%s (%s): %s changed when a restricted incident they may not see was recorded:\n%s",
						r.u.Username, r.u.Role, path, firstDifference(before, after[path]))
				}
			}
			if strings.Contains(after[path], inc.Code) || strings.Contains(after[path], inc.ID) {
				t.Errorf("%s: %s names the restricted incident", r.u.Username, path)
			}
		}
		if differ > 0 {
			t.Errorf("%s (%s): %d of %d pages changed", r.u.Username, r.u.Role, differ, len(r.pages))
		}
	}

	// Those who may see it have it counted and listed, exactly.
	for _, u := range members {
		c := h.as(u)
		figs := headlines(t, mustGet(t, c, "/dashboard?"+exact))
		if len(figs) == 0 || figs[0].incidents != "1" {
			t.Errorf("%s (%s): %+v, want 1 torture", u.Username, u.Role, figs)
			continue
		}
		rbody := mustGet(t, c, figs[0].receipt)
		if got := receiptCodes(t, rbody); !slices.Equal(got, []string{inc.Code}) {
			t.Errorf("%s (%s): the receipt lists %v, want %s", u.Username, u.Role, got, inc.Code)
		}
		day := mustGet(t, c, "/dashboard?"+strings.Join(disclosureFilters, "&")+"&"+disclosureWindows[2])
		if figs := headlines(t, day); len(figs) == 0 || figs[0].incidents != "1" {
			t.Errorf("%s (%s): every filter over the day: %+v, want 1", u.Username, u.Role, figs)
		}
	}
}

func mustGet(t *testing.T, c *client, path string) string {
	t.Helper()
	resp, body := c.get(path)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, body)
	}
	return body
}

// firstDifference shows where two pages part, with a little context.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return "before: …" + a[from:min(len(a), i+200)] + "…\nafter:  …" + b[from:min(len(b), i+200)] + "…"
}
