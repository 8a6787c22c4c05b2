package web

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/portal"
)

// TestE2EPortal: rasd serve --portal in a real browser. The public site
// (generated from demo incidents with Arabic-Indic digits chosen) is at /,
// and each language's pages show their content: headline figures, the
// charts and the map drawn, the list, an incident, the memorial and the
// methodology, right to left in Arabic. The application keeps /login.
func TestE2EPortal(t *testing.T) {
	b := newE2EBrowser(t)
	var site fs.FS
	h := newHarnessWith(t, func(o *Options) { o.Portal = func() fs.FS { return site } })
	if _, err := h.st.ImportIncidents(context.Background(), "demo", demo.Incidents(demo.Options{Incidents: 600, Seed: 11}), nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rep, err := portal.Generate(context.Background(), h.st, portal.NewDir(dir), portal.Options{Now: h.now, ArabicDigits: true, PageSize: 20})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Incidents == 0 || rep.Memorial == 0 {
		t.Fatalf("the demo site has %d incidents and %d memorial entries; the test needs both", rep.Incidents, rep.Memorial)
	}
	site = os.DirFS(dir)

	for _, lang := range []string{"ar", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			tb := b.tab(t, h.ts.URL, lang, false)
			if resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.base+"/")); err != nil || resp.Status != 200 {
				t.Fatalf("GET /: %v %v", resp, err)
			}
			if tb.count(`main.root a[href="ar/index.html"]`) != 1 || tb.count(`main.root a[href="en/index.html"]`) != 1 {
				t.Fatal("/ is not the portal's root page linking to both languages")
			}
			if locale.Arabic(lang) {
				tb.shot("portal-root")
			}
			tb.click(`main.root a[href="` + lang + `/index.html"]`)
			tb.portalHome()
			tb.click(`header nav a[href="incidents/index.html"]`)
			if n := tb.count("main table tbody tr"); n != 20 {
				t.Errorf("the first page of the incident list has %d rows, want 20", n)
			}
			tb.shot("portal-incidents")
			tb.click(`main table tbody tr:first-child a`)
			if !strings.HasPrefix(tb.path(), "/"+lang+"/incidents/") || tb.count("main dl.fields dt") < 5 || tb.text("main h1") == "" {
				t.Errorf("%s: not an incident's page", tb.path())
			}
			tb.shot("portal-incident")
			tb.click(`header nav a[href="../memorial/index.html"]`)
			if n := tb.count("main li"); n == 0 {
				t.Error("the memorial lists no one")
			}
			tb.shot("portal-memorial")
			tb.click(`header nav a[href="../methodology.html"]`)
			if n := tb.count("main h2"); n < 4 {
				t.Errorf("the methodology has %d sections", n)
			}
			tb.shot("portal-methodology")
			tb.open("/login") // the application is still there
			tb.heading("login.title")
		})
	}
}

// portalHome checks the portal's home page: the three headline figures,
// the charts and the map drawn, in the digits of the language.
func (tb *e2eTab) portalHome() {
	tb.t.Helper()
	if tb.path() != "/"+tb.lang+"/index.html" {
		tb.t.Fatalf("at %s, want the %s home", tb.path(), tb.lang)
	}
	figs := tb.run(chromedp.Evaluate[string](`[...document.querySelectorAll("main li.figure a.big")].map(a => a.textContent).join(" ")`))
	if n := tb.count("main li.figure a.big"); n != 3 {
		tb.t.Errorf("the home shows %d headline figures, want 3", n)
	}
	if n := tb.count("main svg.chart"); n != 3 {
		tb.t.Errorf("the home draws %d charts, want by type, by month and by governorate", n)
	}
	if tb.count("main svg.map") != 1 || tb.count(`main svg.map a[href^="figures/governorate-"]`) == 0 {
		tb.t.Error("the home has no governorate map linking to the governorates' receipts")
	}
	tb.checkDrawn()
	labels := tb.run(chromedp.Evaluate[string](`[...document.querySelectorAll("main svg text")].map(t => t.textContent).join(" ")`))
	arabic, latin := "٠١٢٣٤٥٦٧٨٩", "0123456789"
	if tb.lang == "en" {
		arabic, latin = latin, arabic
	}
	for what, s := range map[string]string{"headline figures": figs, "chart labels": labels} {
		if !strings.ContainsAny(s, arabic) || strings.ContainsAny(s, latin) {
			tb.t.Errorf("%s home: the %s are %.200q; want only %s digits", tb.lang, what, s, arabic[:2])
		}
	}
	tb.shot("portal-home")
}
