package portal_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/portal"
	"github.com/rasd-project/rasd/internal/stats"
)

// figureOf reads the number of the headline figure with id from a page.
func figureOf(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no figure %s", id)
	}
	return m[1]
}

// TestHomeFigures: on a dataset whose figures are worked out by hand
// (publishing on 15 March 2026, so "the last 12 months" is 16 March 2025
// to 15 March 2026), the home page states them, and they are what
// stats.Count gives for the same queries.
func TestHomeFigures(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	pub, inn, res := model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted
	day := func(d string) model.Date { return model.Date{Start: d, Precision: "day"} }
	type row struct {
		typ, verif, vis string
		date            model.Date
	}
	rows := []row{
		{"killing", "verified", pub, day("2025-06-01")},                                        // 0: last 12, since 2019, all
		{"killing", "corroborated", inn, day("2020-01-10")},                                    // 1: since 2019, all
		{"assault", "reported", pub, day("2025-07-01")},                                        // not counted: one source
		{"assault", "corroborated", pub, day("2019-05-05")},                                    // 3: all only
		{"death_threat", "verified", pub, model.Date{Start: "2025-03-01", Precision: "month"}}, // 4: March 2025 is not all inside the last 12 months
		{"kidnapping", "disputed", pub, day("2025-08-08")},                                     // not counted: disputed
		{"kidnapping", "corroborated", pub, day("2025-09-09")},                                 // not counted: merged below
		{"torture", "corroborated", pub, model.Date{Start: "2019-01-01", Precision: "year"}},   // 7: 2019 began before October: all only
		{"arbitrary_detention", "verified", res, day("2026-01-20")},                            // not counted: restricted (docs/counting.md)
	}
	var ids []string
	for _, r := range rows {
		inc := model.Incident{Type: r.typ, Date: r.date, Place: model.Place{Country: "IQ", Admin1: "IQ-BG"},
			Verification: r.verif, Visibility: r.vis}
		if err := st.CreateIncident(ctx, "test", &inc); err != nil {
			t.Fatal(err)
		}
		if r.typ == "kidnapping" && r.verif == "corroborated" {
			inc.MergedInto = ids[0]
			if err := st.UpdateIncident(ctx, "test", &inc); err != nil {
				t.Fatal(err)
			}
		}
		ids = append(ids, inc.ID)
	}
	dir, rep := publish(t, st, portal.Options{})
	site := files(t, dir)
	checkSite(t, site)
	home := site["en/index.html"]
	want := map[string]string{ // by hand, from the comments above
		"fig-last-12-months": "1", "fig-since-2019-10-01": "3", "fig-all": "5",
		"fig-type-killing": "2", "fig-type-assault": "1", "fig-type-death_threat": "1", "fig-type-torture": "1",
		"fig-type-arbitrary_detention": "0", "fig-type-kidnapping": "0", "fig-type-legal_harassment": "0",
	}
	for id, n := range want {
		if got := figureOf(t, home, id); got != n {
			t.Errorf("%s: home page says %s, want %s", id, got, n)
		}
		if got := figureOf(t, site["ar/index.html"], id); got != n {
			t.Errorf("%s: Arabic home page says %s, want %s", id, got, n)
		}
	}
	for id, w := range map[string]stats.Window{"fig-last-12-months": stats.LastMonths(today, 12),
		"fig-since-2019-10-01": stats.Since("2019-10-01"), "fig-all": {}} {
		res, err := stats.Count(ctx, st, stats.Query{Window: w})
		if err != nil || res.Total.Incidents != atoi(want[id]) {
			t.Errorf("stats.Count for %s: %d, %v; the home page says %s", id, res.Total.Incidents, err, want[id])
		}
	}
	if rep.Counted != 5 || rep.Unpublished != 1 || rep.Incidents != 6 {
		t.Errorf("report %+v: want 5 counted, 1 of them not published, 6 published (7 public, 1 merged)", rep)
	}
	// The receipt of all time lists the 4 public counted incidents and
	// counts the internal one; the restricted one is in no figure.
	all := site["en/figures/all/index.html"]
	if !strings.Contains(all, "4 of them are published and listed below. 1 more incident is counted but not published.") ||
		strings.Count(all, `href="../../incidents/IQ-`) != 4 {
		t.Errorf("all-time receipt:\n%s", all)
	}
	if !strings.Contains(site["ar/figures/all/index.html"], "وحادثة أخرى محسوبة لكنها غير منشورة.") {
		t.Error("Arabic receipt count")
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
