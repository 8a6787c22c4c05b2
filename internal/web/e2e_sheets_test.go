package web

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rasd-project/rasd/internal/model"
)

// clickTo clicks a submit button, waits for the next page and checks its
// status: the wizard answers a dry run with problems 422, which click
// refuses.
func (tb *e2eTab) clickTo(sel string, status int64) {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("click %s: %v (at %s)", sel, err, tb.location())
	}
	if resp == nil || resp.Status != status {
		got := int64(0)
		if resp != nil {
			got = resp.Status
		}
		tb.t.Fatalf("click %s: status %d, want %d, at %s: %s", sel, got, status, tb.location(), tb.text("main"))
	}
	tb.checkPage()
}

// docShot is shot, kept as docs/screenshots/LANG-NAME.png too when the
// documentation's pictures are being refreshed (keepDocShot).
func (tb *e2eTab) docShot(name string) {
	tb.t.Helper()
	tb.shot(name)
	png, err := os.ReadFile(filepath.Join(tb.b.shots, tb.lang+"-"+name+".png"))
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.keepDocShot(tb.lang+"-"+name+".png", png)
}

// keepDocShot copies a screenshot into docs/screenshots only when
// RASD_DOC_SHOTS=1: a test run (CI's included) must not rewrite tracked
// files with pictures that differ by a pixel from run to run. Every run
// keeps its pictures in testdata/screenshots (ignored by git).
func (tb *e2eTab) keepDocShot(file string, png []byte) {
	tb.t.Helper()
	if os.Getenv("RASD_DOC_SHOTS") != "1" {
		return
	}
	dir := filepath.Join(filepath.Dir(tb.b.shots), "..", "docs", "screenshots")
	if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// TestE2ESheetWizard: in a real browser with JavaScript off, in Arabic
// and in English, a coordinator uploads a partner's XLSX, sees its first
// rows and the fields proposed from its header, maps the partner's words
// that the dry run lists by row and column, saves the mapping and imports
// the sheet; the store then holds its three incidents. The mapping page
// fits a phone. Screenshots of each step go to docs/screenshots/.
func TestE2ESheetWizard(t *testing.T) {
	b := newE2EBrowser(t)
	file, err := filepath.Abs(filepath.Join("testdata", "partner-x.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"ar", "en"} {
		t.Run(lang, func(t *testing.T) {
			h := newE2EHarness(t)
			u := e2eUser(h, "e2e-coord-"+lang, model.RoleCoordinator, lang)
			tb := b.tab(t, h.ts.URL, lang, false)
			tb.signIn(h, u)
			tb.click(`nav a[href="/import"]`)
			tb.heading("sheets.title")
			tb.do(chromedp.SetUploadFiles(chromedp.CSS(`input[type=file][name=file]`), []string{file}))
			tb.docShot("import-upload")
			tb.click(`form[action="/import"] button[type=submit]`)
			if !strings.HasPrefix(tb.path(), "/import/") {
				t.Fatalf("after the upload: at %s", tb.path())
			}
			if got := tb.run(chromedp.Value(chromedp.CSS(`select[name="field.2"]`))); got != "type" {
				t.Errorf("column C (Violation) is proposed as %q, want type", got)
			}
			if got := tb.run(chromedp.Value(chromedp.CSS(`select[name="field.1"]`))); got != "date.start" {
				t.Errorf("column B (التاريخ) is proposed as %q, want date.start", got)
			}
			if !strings.Contains(tb.text(".scroll table"), "Assassination") {
				t.Error("the preview lacks the sheet's rows")
			}
			tb.docShot("import-mapping")
			tb.typeIn(`input[name=system]`, "partner-x")
			tb.clickTo(`button[name=action][value=check]`, http.StatusUnprocessableEntity)
			problems := tb.text("#dry-run ~ table")
			if !strings.Contains(problems, "C (Violation)") || !strings.Contains(problems, "Assassination") {
				t.Errorf("the dry run does not list the partner's word by column: %s", problems)
			}
			tb.docShot("import-problems")
			tb.choose("code.2.0", "killing")
			tb.choose("code.2.1", "kidnapping")
			tb.clickTo(`button[name=action][value=check]`, http.StatusOK)
			if n := tb.count(`button[name=action][value=import]`); n != 1 {
				t.Fatalf("a clean dry run offers %d import buttons", n)
			}
			tb.docShot("import-dry-run")
			tb.viewport(390, 844)
			if n := tb.overflow(); n > 0 {
				t.Errorf("the mapping page is %d px wider than a phone: %s", n, tb.overflowing())
			}
			tb.viewport(e2eWidth, e2eHeight)
			tb.typeIn(`#save_as`, "Partner X")
			tb.click(`button[name=action][value=save]`)
			tb.click(`button[name=action][value=import]`)
			tb.docShot("import-done")
			var got []string
			h.st.EachIncident(context.Background(), allIncidents, func(inc *model.Incident) error {
				got = append(got, inc.External.ID+" "+inc.Type)
				return nil
			})
			slices.Sort(got)
			if want := "PX-101 killing|PX-102 kidnapping|PX-103 death_threat"; strings.Join(got, "|") != want {
				t.Errorf("stored %q, want %s", got, want)
			}
			tb.open("/import")
			if !strings.Contains(tb.text("main table"), "Partner X") {
				t.Error("the saved mapping is not listed")
			}
		})
	}
}
