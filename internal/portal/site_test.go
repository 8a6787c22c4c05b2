package portal_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/portal"
)

// TestDemoSite publishes a few thousand demo incidents: one page per
// language for each public, unmerged, unrejected incident, and a site
// whose every page is well formed and every link resolves.
func TestDemoSite(t *testing.T) {
	const n = 3000
	st := openStore(t)
	incs := demo.Incidents(demo.Options{Incidents: n, Seed: 7})
	want := 0
	for _, inc := range incs {
		if inc.Visibility == model.VisibilityPublic && inc.MergedInto == "" && inc.Verification != "rejected" {
			want++
		}
	}
	if _, err := st.ImportIncidents(context.Background(), "demo", incs, nil); err != nil {
		t.Fatal(err)
	}
	var calls, last int
	dir, rep := publish(t, st, portal.Options{BaseURL: "https://example.org/rasd", Progress: func(done, total int) { calls, last = calls+1, done }})
	site := files(t, dir)
	for _, l := range portal.Langs {
		if got := count(site, l+"/incidents/IQ-", ".html"); got != want {
			t.Errorf("%s: %d incident pages, want %d", l, got, want)
		}
	}
	if rep.Incidents != want || calls != want || last != want {
		t.Errorf("report %+v, progress %d calls up to %d; want %d", rep, calls, last, want)
	}
	if rep.Files != len(site) || rep.Counted == 0 || rep.Memorial == 0 || !rep.Feeds {
		t.Errorf("report %+v, %d files", rep, len(site))
	}
	checkSite(t, site)
	for _, f := range []string{"index.html", "portal.css", "ar/index.html", "en/feed.atom", "ar/feed.atom", "en/incidents/page-2.html",
		"ar/memorial/index.html", "data/incidents.csv", "data/incidents-acled.csv", "data/incidents.geojson", "data/data-dictionary.csv",
		"data/data-dictionary.ar.md", "en/methodology.html", "ar/data.html", "en/figures/all/index.html", "en/figures/all/page-2.html"} {
		if _, ok := site[f]; !ok {
			t.Errorf("no %s", f)
		}
	}
	if lines := strings.Count(site["data/incidents.csv"], "\n"); lines != want+1 {
		t.Errorf("incidents.csv has %d lines, want %d", lines, want+1)
	}
	root := site["index.html"]
	if !strings.Contains(root, `href="ar/index.html"`) || !strings.Contains(root, `href="en/index.html"`) || strings.Contains(root, "http-equiv") {
		t.Errorf("the root page must link to both languages and choose neither:\n%s", root)
	}
	if ar := site["ar/index.html"]; !strings.Contains(ar, `dir="rtl"`) || !strings.Contains(ar, `href="../en/index.html"`) {
		t.Error("the Arabic home is not right to left or lacks the switch to English")
	}
}

// TestEmptySite: a store with nothing public still makes a whole site.
func TestEmptySite(t *testing.T) {
	dir, rep := publish(t, openStore(t), portal.Options{})
	site := files(t, dir)
	checkSite(t, site)
	if rep.Incidents != 0 || rep.Feeds || site["en/feed.atom"] != "" {
		t.Errorf("report %+v", rep)
	}
	if !strings.Contains(site["en/incidents/index.html"], "No incident is published yet.") {
		t.Error("empty list")
	}
}
