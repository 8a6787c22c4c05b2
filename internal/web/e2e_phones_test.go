package web

// Real-browser checks of fit (issue 18): every page at phone widths in both
// languages without sideways scrolling, the incident list's first results
// above the fold, list cards that name their values, the authenticator's
// QR code. Screenshots of the first screen at 390 and 1280 px go to
// docs/screenshots/ (LANG-WIDTH-PAGE.png).

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// phoneFixture is a server with one record of every kind a route shows,
// and the ids its routes take.
type phoneFixture struct {
	h     *harness
	admin *model.User
	ids   map[string]string // route prefix ("/incidents") → an id
}

func newPhoneFixture(t *testing.T) *phoneFixture {
	t.Helper()
	ctx := context.Background()
	h := newHarness(t)
	f := &phoneFixture{h: h, admin: h.user("phone-admin", model.RoleAdmin), ids: map[string]string{}}
	doc := h.user("phone-doc", model.RoleDocumenter)
	e2eSeedStatistics(t, h)
	inc := storetest.Incident()
	if err := h.st.CreateIncident(ctx, doc.Username, &inc); err != nil {
		t.Fatal(err)
	}
	inc.SummaryEN += " Two sources."
	if err := h.st.UpdateIncident(ctx, f.admin.Username, &inc); err != nil {
		t.Fatal(err)
	}
	src := &model.Source{Type: "eyewitness", Reliability: "B", Label: "S-7"}
	if err := h.st.AddSourceInformation(ctx, doc.Username, src, &model.Information{IncidentID: inc.ID, Credibility: 2,
		ObtainedOn: "2019-12-09", Summary: "Saw the car."}); err != nil {
		t.Fatal(err)
	}
	ev, err := h.ev.Add(ctx, doc.Username, store.KindIncident, inc.ID, "IMG_0042_a_long_file_name_from_a_phone_camera.jpg", bytes.NewReader(gpsJPEG(t)))
	if err != nil {
		t.Fatal(err)
	}
	org := &model.Organisation{NameAR: "منظمة الرصد", NameEN: "Monitoring NGO", Kind: "ngo", Status: "active", Visibility: model.VisibilityInternal}
	if err := h.st.Organisations().Create(ctx, doc.Username, org); err != nil {
		t.Fatal(err)
	}
	f.ids["/incidents"], f.ids["/persons"], f.ids["/organisations"] = inc.ID, inc.Victims[0].PersonID, org.ID
	f.ids["/evidence"], f.ids["/sources"] = ev.ID, src.ID
	c := &model.Commitment{AuthorityType: "prime_minister", MadeOn: "2020-01-12", Kind: "investigation",
		PromiseEN: "Results of the investigation within three months", PromiseAR: "نتائج التحقيق خلال ثلاثة أشهر",
		DeadlineDuration: "3m", Visibility: model.VisibilityInternal}
	if err := store.Of[model.Commitment](h.st, kinds.Commitment).Create(ctx, doc.Username, c); err != nil {
		t.Fatal(err)
	}
	cm := &model.Committee{NameEN: "Investigative committee of Nasiriyah", FormedType: "governor", FormedOn: "2020-01-15",
		Visibility: model.VisibilityInternal}
	if err := store.Of[model.Committee](h.st, kinds.Committee).Create(ctx, doc.Username, cm); err != nil {
		t.Fatal(err)
	}
	step := &model.JudicialStep{Incident: inc.ID, Step: "complaint_filed", Date: "2021-03-05", Visibility: model.VisibilityInternal}
	if err := store.Of[model.JudicialStep](h.st, kinds.JudicialStep).Create(ctx, doc.Username, step); err != nil {
		t.Fatal(err)
	}
	f.ids["/commitments"], f.ids["/committees"], f.ids["/judicial-steps"] = c.ID, cm.ID, step.ID
	// The pages see as the admin, who is no member of the protection
	// compartment: every record of people at risk is the missing page to
	// them, which must fit too (TestE2EAtRisk draws a member's at 390 px).
	for _, prefix := range atRiskPrefixes {
		f.ids[prefix] = uuid.Must(uuid.NewV7()).String()
	}
	// The import wizard is the coordinator's: to the admin, its sheet
	// page is the refusal, which must fit too (TestE2ESheetWizard draws
	// a coordinator's).
	f.ids["/import"] = randomToken()
	return f
}

// pagePaths are the paths of every GET route that draws a page, with ids
// filled in. A route with an id the fixture has no record for fails the
// test, so that a new kind of page is not left out.
func (f *phoneFixture) pagePaths(t *testing.T) (signedIn, halfway []string) {
	t.Helper()
	for _, rt := range f.h.srv.Routes() {
		path, ok := strings.CutPrefix(rt.Pattern, "GET ")
		if !ok || strings.Contains(path, "{file}") || strings.HasSuffix(path, "/copy") || strings.HasSuffix(path, "/original") ||
			strings.HasPrefix(path, "/api/") || path == "/incidents/export" {
			continue // not a page: a style sheet, an evidence file, the API's JSON, a download
		}
		path = strings.TrimSuffix(path, "{$}")
		if i := strings.Index(path, "/{id}"); i >= 0 {
			id, ok := f.ids[path[:i]]
			if !ok {
				t.Errorf("route %s: the fixture has no record for it (newPhoneFixture)", rt.Pattern)
				continue
			}
			path = path[:i] + "/" + id + path[i+len("/{id}"):]
		}
		switch rt.Policy {
		case "public":
			halfway = append(halfway, path) // drawn for a visitor
		case "halfway":
			halfway = append(halfway, path)
		default:
			signedIn = append(signedIn, path)
		}
	}
	return signedIn, halfway
}

// setSession gives the tab c's session cookie.
func (tb *e2eTab) setSession(c *client) {
	tb.t.Helper()
	base, _ := url.Parse(tb.base)
	for _, ck := range c.http.Jar.Cookies(base) {
		if _, err := chromedp.Call(tb.ctx, network.SetCookie, network.SetCookieParams{Name: ck.Name, Value: ck.Value, URL: tb.base}); err != nil {
			tb.t.Fatal(err)
		}
	}
}

// viewport sets the tab's size.
func (tb *e2eTab) viewport(w, h int64) {
	tb.t.Helper()
	tb.do(chromedp.EmulateViewport(w, h))
}

// overflow is how far the page is wider than the window (0 if not).
func (tb *e2eTab) overflow() int {
	tb.t.Helper()
	n, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`Math.max(0, document.scrollingElement.scrollWidth - innerWidth)`))
	if err != nil {
		tb.t.Fatal(err)
	}
	return n
}

// overflowing names the innermost elements that reach out of the window.
func (tb *e2eTab) overflowing() string {
	return strings.Join(evaluate[[]string](tb, `(() => {
		const clipped = el => { for (let a = el.parentElement; a; a = a.parentElement) { if (getComputedStyle(a).overflowX !== 'visible') return true } return false };
		const out = el => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > innerWidth + 1 || r.left < -1) && !clipped(el) };
		return [...document.querySelectorAll('body *')].filter(el => out(el) && ![...el.children].some(out)).slice(0, 4)
			.map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/ +/g, '.') : '') +
				' (' + Math.round(el.getBoundingClientRect().width) + ' px)');
	})()`), ", ")
}

// visit loads path whatever its status (an error page is a page too).
func (tb *e2eTab) visit(path string) int64 {
	tb.t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.base+path))
	if err != nil {
		tb.t.Fatalf("GET %s: %v", path, err)
	}
	return resp.Status
}

// evaluate runs a script that returns T.
func evaluate[T any](tb *e2eTab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("%s: %v (at %s)", js, err, tb.location())
	}
	return v
}

// snap writes the first screen of the page, as a person sees it on
// opening it, to testdata/screenshots/LANG-WIDTH-NAME.png (and to
// docs/screenshots, keepDocShot).
func (tb *e2eTab) snap(name string, width int) {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	file := fmt.Sprintf("%s-%d-%s.png", tb.lang, width, name)
	if err := os.WriteFile(filepath.Join(tb.b.shots, file), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.keepDocShot(file, png)
}

// TestE2EPhones loads every page in Arabic and English, with JavaScript
// off, and fails on any page wider than the window at 360 or at 390 px;
// the header's search box and its button must fit. Each page is loaded
// once and laid out at both widths (the viewport changed under it), as a
// page without scripts is drawn the same at a width it was loaded at.
func TestE2EPhones(t *testing.T) {
	newE2EBrowser(t) // skips (or fails under CI) without Chromium, before the fixture
	f := newPhoneFixture(t)
	signedIn, halfway := f.pagePaths(t)
	newcomer := &model.User{Username: "phone-newcomer", Role: model.RoleDocumenter, Lang: "en", PasswordHash: "x"}
	if err := f.h.st.CreateUser(context.Background(), "test", newcomer); err != nil {
		t.Fatal(err)
	}
	widths := []int64{360, 390}
	for _, lang := range []string{"ar", "en"} {
		t.Run(lang, func(t *testing.T) {
			b := newE2EBrowser(t) // one each: a browser's life is bounded (newE2EBrowser)
			check := func(tb *e2eTab, path string) int64 {
				status := tb.visit(path)
				for _, width := range widths {
					tb.viewport(width, 800)
					if over := tb.overflow(); over > 0 {
						t.Errorf("%s at %d px (status %d): %d px wider than the window, by %s", path, width, status, over, tb.overflowing())
					}
				}
				return status
			}
			u := f.h.userLang("phone-"+lang, model.RoleAdmin, lang)
			tb := b.tab(t, f.h.ts.URL, lang, false)
			for _, p := range halfway { // a visitor's view; /login/totp and /enrol send to /login
				check(tb, p)
			}
			tb.setSession(f.h.halfway(u))
			check(tb, "/login/totp")
			enrol := b.tab(t, f.h.ts.URL, lang, false)
			enrol.setSession(f.h.halfway(newcomer))
			check(enrol, "/enrol")

			tb.setSession(f.h.as(u))
			var forbidden []string // to the administrator: the forms of records
			for _, p := range signedIn {
				if check(tb, p) == http.StatusForbidden {
					forbidden = append(forbidden, p)
				}
			}
			tb.setSession(f.h.as(f.h.userLang("phone-analyst-"+lang, model.RoleAnalyst, lang)))
			for _, p := range forbidden {
				check(tb, p)
			}
			tb.visit("/incidents")
			for _, width := range widths {
				tb.viewport(width, 800)
				if !evaluate[bool](tb, `(() => { const r = document.querySelector('header .search button').getBoundingClientRect();
					return r.width > 0 && r.left >= 0 && r.right <= innerWidth })()`) {
					t.Errorf("at %d px the header's search button is not wholly in the window", width)
				}
				// A list card names each value: the column's name before it.
				labels := evaluate[[]string](tb, `[...document.querySelectorAll('main table.list tbody tr:first-child td')].map(
					td => getComputedStyle(td, '::before').content)`)
				if len(labels) < 5 || slices.ContainsFunc(labels, func(s string) bool { return s == "none" || s == `""` }) {
					t.Errorf("at %d px the first incident card's values are not labelled: %q", width, labels)
				}
			}
		})
	}
}

// TestE2EFirstScreen: on the incident list the filter leaves the first
// results on the first screen, at 1280×900 and on a phone (390×844), in
// both languages; the choices under "More filters" each sit beside their
// box. The enrolment page shows the key as a QR code and in groups of
// four. Screenshots of the first screens go to docs/screenshots/.
func TestE2EFirstScreen(t *testing.T) {
	b := newE2EBrowser(t)
	f := newPhoneFixture(t)
	for _, lang := range []string{"ar", "en"} {
		for _, size := range [][2]int64{{1280, 900}, {390, 844}} {
			t.Run(fmt.Sprintf("%s/%d", lang, size[0]), func(t *testing.T) {
				w := int(size[0])
				tb := b.tab(t, f.h.ts.URL, lang, false)
				tb.viewport(size[0], size[1])
				tb.setSession(f.h.as(f.h.userLang(fmt.Sprintf("first-%s-%d", lang, w), model.RoleAnalyst, lang)))
				tb.open("/incidents")
				top := evaluate[float64](tb, `document.querySelector('main table.list tbody tr').getBoundingClientRect().top`)
				if top > float64(size[1])-40 {
					t.Errorf("at %dx%d the first result starts at %.0f px: below the first screen", size[0], size[1], top)
				}
				tb.snap("incidents", w)
				// An incident code is one word: never broken over two lines.
				if n := evaluate[int](tb, `Math.max(...[...document.querySelectorAll('main table.list a[dir=ltr]')].map(a => a.getClientRects().length))`); n != 1 {
					t.Errorf("an incident code is drawn in %d pieces, want 1", n)
				}
				tb.open("/incidents?q=zzzqqq")
				if style := evaluate[string](tb, `getComputedStyle(document.querySelector('main .empty')).fontStyle`); style != "normal" {
					t.Errorf("the empty list's message is in %s type: Arabic has no italic", style)
				}
				tb.open("/incidents?type=killing&status=verified")
				if got := evaluate[bool](tb, `document.querySelector('form.filters details').open`); !got {
					t.Error("with types chosen, More filters is closed: the choices are hidden")
				}
				// Each checkbox beside its label: box and text on one line.
				stacked := evaluate[int](tb, `[...document.querySelectorAll('form.filters label.inline')].filter(l => {
					const box = l.querySelector('input').getBoundingClientRect(), all = l.getBoundingClientRect();
					return all.height > 2.5 * box.height }).length`)
				if stacked > 0 {
					t.Errorf("%d checkbox labels are stacked under their box", stacked)
				}
				tb.open("/incidents/new")
				tb.snap("incident-form", w)
				tb.open("/dashboard")
				tb.snap("dashboard", w)
				tb.open("/incidents/" + f.ids["/incidents"])
				tb.snap("incident", w)

				en := b.tab(t, f.h.ts.URL, lang, false)
				en.viewport(size[0], size[1])
				newcomer := &model.User{Username: fmt.Sprintf("first-newcomer-%s-%d", lang, w), Role: model.RoleDocumenter, Lang: lang, PasswordHash: "x"}
				if err := f.h.st.CreateUser(context.Background(), "test", newcomer); err != nil {
					t.Fatal(err)
				}
				en.setSession(f.h.halfway(newcomer))
				en.open("/enrol")
				if n := en.count("main svg.qr path"); n != 1 {
					t.Errorf("the enrolment page has %d QR codes, want 1", n)
				}
				en.snap("enrol", w)
			})
		}
	}
}
