package web

// Real-browser end-to-end tests: Debian's Chromium, driven by chromedp,
// against a real server over an encrypted SQLite store. Every flow runs in
// Arabic and in English, with JavaScript off (Tor Browser "safest", the
// mode the interface is built for) and on, and the record flows also in
// Sorani (ckb) with JavaScript off. Screenshots of the main pages go to
// testdata/screenshots/ at the repository root (git-ignored), named
// LANG-PAGE.png.
//
// The tests skip when chromium is missing, unless CI or
// RASD_REQUIRE_BROWSER is set: then they fail. scripts/ensure-chromium.sh
// installs it (scripts/test.sh runs it).

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
)

// e2eBrowser is one Chromium process shared by every flow of a test; each
// flow gets a fresh browser context (its own cookies) and tab.
type e2eBrowser struct {
	ctx   context.Context
	shots string // where screenshots go
}

// chromiumPath finds Debian's Chromium.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newE2EBrowser starts Chromium, or skips (fails under CI or
// RASD_REQUIRE_BROWSER) when it is not installed.
func newE2EBrowser(t *testing.T) *e2eBrowser {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		msg := "chromium is not installed: the browser tests need Debian's chromium (bash scripts/ensure-chromium.sh)"
		if os.Getenv("CI") != "" || os.Getenv("RASD_REQUIRE_BROWSER") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg + "; set RASD_REQUIRE_BROWSER=1 to make this a failure")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // root, in a container
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(e2eWidth, e2eHeight),
	)
	// The deadline bounds the whole browser's life: a hung Chromium fails
	// the test instead of holding it until go test's own timeout.
	life, cancelLife := context.WithTimeout(context.Background(), 5*time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(life, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc(); cancelLife() })
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting chromium (%s): %v", path, err)
	}
	return &e2eBrowser{ctx: bctx, shots: screenshotDir(t)}
}

// screenshotDir is testdata/screenshots at the repository root.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	dir = filepath.Join(dir, "testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The viewport of every tab: a laptop screen.
const e2eWidth, e2eHeight = 1280, 900

// e2eTab is one flow's tab: its own browser context, the language its
// browser asks for, and JavaScript on or off.
type e2eTab struct {
	t    *testing.T
	b    *e2eBrowser
	ctx  context.Context
	base string // the server's URL
	lang string // a code of internal/locale
	js   bool
}

func (b *e2eBrowser) tab(t *testing.T, base, lang string, js bool) *e2eTab {
	t.Helper()
	tctx, cancelTab := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tctx); err != nil { // opens the tab
		t.Fatal(err)
	}
	// Every action of the flow has this deadline (the tab stays bound to
	// tctx, which has none).
	ctx, cancel := context.WithTimeout(tctx, 2*time.Minute)
	t.Cleanup(cancel)
	tb := &e2eTab{t: t, b: b, ctx: ctx, base: base, lang: lang, js: js}
	accept := map[string]string{"ar": "ar-IQ,ar;q=0.9", "ckb": "ckb-IQ,ckb;q=0.9,ar;q=0.5", "en": "en-GB,en;q=0.9"}[lang]
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders,
		network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": accept}}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: !js}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(e2eWidth, e2eHeight)); err != nil {
		t.Fatal(err)
	}
	tb.checkScripting()
	return tb
}

// checkScripting proves the tab's JavaScript mode on a page of our own
// (no CSP there): its script renames the page only when scripts run.
func (tb *e2eTab) checkScripting() {
	tb.t.Helper()
	const probe = `data:text/html,<title>scripts-off</title><script>document.title="scripts-on"</script>`
	tb.do(chromedp.Navigate(probe))
	want := "scripts-off"
	if tb.js {
		want = "scripts-on"
	}
	if got := tb.run(chromedp.Title()); got != want {
		tb.t.Fatalf("JavaScript on=%v, but the probe page's title is %q", tb.js, got)
	}
}

func (tb *e2eTab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("browser: %v (at %s)", err, tb.location())
	}
}

// run runs one action that returns a string.
func (tb *e2eTab) run(a chromedp.Action[string]) string {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, a)
	if err != nil {
		tb.t.Fatalf("browser: %v (at %s)", err, tb.location())
	}
	return v
}

func (tb *e2eTab) location() string {
	loc, _ := chromedp.Run(tb.ctx, chromedp.Location())
	return loc
}

// path is the current page's path and query.
func (tb *e2eTab) path() string { return strings.TrimPrefix(tb.location(), tb.base) }

// open navigates to a path of the server and checks the page.
func (tb *e2eTab) open(path string) {
	tb.t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.base+path))
	if err != nil {
		tb.t.Fatalf("GET %s: %v", path, err)
	}
	if resp.Status != 200 {
		tb.t.Fatalf("GET %s: status %d", path, resp.Status)
	}
	tb.checkPage()
}

// click clicks sel (a real mouse click: with JavaScript off a submit
// button submits its form natively), waits for the next page and checks
// it.
func (tb *e2eTab) click(sel string) { tb.t.Helper(); tb.clickFor(sel, 200) }

// clickFor is click where the next page answers with status want (a
// refused form shows itself again with 4xx).
func (tb *e2eTab) clickFor(sel string, want int64) {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("click %s: %v (at %s)", sel, err, tb.location())
	}
	if resp == nil || resp.Status != want {
		status := int64(0)
		if resp != nil {
			status = resp.Status
		}
		tb.t.Fatalf("click %s: status %d at %s: %s", sel, status, tb.location(), tb.text("main"))
	}
	tb.checkPage()
}

// typeIn types text into a field key by key, as a person would.
func (tb *e2eTab) typeIn(sel, text string) {
	tb.t.Helper()
	if tb.run(chromedp.Value(chromedp.CSS(sel))) != "" {
		tb.do(chromedp.Clear(chromedp.CSS(sel))) // fails on an empty textarea
	}
	tb.do(chromedp.SendKeys(chromedp.CSS(sel), text))
	if got := tb.run(chromedp.Value(chromedp.CSS(sel))); got != text {
		tb.t.Fatalf("typed %q into %s, which holds %q", text, sel, got)
	}
}

func (tb *e2eTab) text(sel string) string {
	tb.t.Helper()
	return strings.TrimSpace(tb.run(chromedp.Text(chromedp.CSS(sel))))
}

func (tb *e2eTab) html(sel string) string {
	tb.t.Helper()
	return tb.run(chromedp.OuterHTML(chromedp.CSS(sel)))
}

// count is how many elements match sel now (no waiting).
func (tb *e2eTab) count(sel string) int {
	tb.t.Helper()
	n, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
	if err != nil {
		tb.t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// checkPage asserts what every rasd page must be: in the tab's language
// and direction, and with no script at all.
func (tb *e2eTab) checkPage() {
	tb.t.Helper()
	attrs, err := chromedp.Run(tb.ctx, chromedp.Attributes(chromedp.CSS("html")))
	if err != nil {
		tb.t.Fatalf("page at %s: %v", tb.location(), err)
	}
	wantDir := locale.Dir(tb.lang)
	if attrs["lang"] != tb.lang || attrs["dir"] != wantDir {
		tb.t.Errorf("%s: <html lang=%q dir=%q>, want lang=%q dir=%q", tb.path(), attrs["lang"], attrs["dir"], tb.lang, wantDir)
	}
	if n := tb.count("script"); n != 0 {
		tb.t.Errorf("%s: %d <script> elements; every page must work without JavaScript", tb.path(), n)
	}
}

// heading asserts the page's <h1> is the translation of key.
func (tb *e2eTab) heading(key string) {
	tb.t.Helper()
	want := i18n.T(tb.lang, key)
	if got := tb.text("main h1"); got != want {
		tb.t.Errorf("%s: <h1> %q, want %q (%s)", tb.path(), got, want, key)
	}
}

// shot writes a full-page PNG of the current page, once per language
// (with JavaScript off, the reference mode).
func (tb *e2eTab) shot(name string) {
	tb.t.Helper()
	if tb.js {
		return
	}
	// chromedp.FullScreenshot captures beyond the viewport, which this
	// Chromium draws wrongly for right-to-left pages (the page shifted out
	// of the picture); so the viewport is made as tall as the page.
	height, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int64](`Math.ceil(document.documentElement.scrollHeight)`))
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	tb.do(chromedp.EmulateViewport(e2eWidth, max(height, e2eHeight)))
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	tb.do(chromedp.EmulateViewport(e2eWidth, e2eHeight))
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	file := filepath.Join(tb.b.shots, tb.lang+"-"+name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// newE2EHarness is the usual harness with cookies as serve sets them
// (Secure): Chromium accepts Secure cookies from http://127.0.0.1.
func newE2EHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	secret := make([]byte, 32)
	rand.Read(secret)
	srv, err := New(Options{Store: h.st, SecretKey: secret, Now: func() time.Time { return h.now },
		Logger: discardLogger(), Sleep: func(time.Duration) {}})
	if err != nil {
		t.Fatal(err)
	}
	h.srv = srv
	h.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(h.ts.Close)
	return h
}

// e2eUser is an enrolled harness user (known TOTP secret) speaking lang.
func e2eUser(h *harness, name, role, lang string) *model.User {
	h.t.Helper()
	u := h.user(name, role)
	if u.Lang != lang {
		u.Lang = lang
		if err := h.st.UpdateUser(context.Background(), "test", u); err != nil {
			h.t.Fatal(err)
		}
	}
	return u
}

// signIn goes through /login and /login/totp as a person would and lands
// on the overview.
func (tb *e2eTab) signIn(h *harness, u *model.User) {
	tb.t.Helper()
	tb.open("/login")
	tb.heading("login.title")
	tb.shot("login")
	tb.typeIn("#username", u.Username)
	tb.typeIn("#password", testPassword)
	tb.click(`form[action="/login"] button[type=submit]`)
	if p := tb.path(); p != "/login/totp" {
		tb.t.Fatalf("after the password: at %s, want /login/totp", p)
	}
	tb.heading("totp.title")
	code, err := totp.GenerateCode(testTOTPSecret, h.now)
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.typeIn("#code", code)
	tb.click(`form[action="/login/totp"] button[type=submit]`)
	if p := tb.path(); p != "/" {
		tb.t.Fatalf("after the code: at %s, want the overview /", p)
	}
	tb.heading("home.title")
	if got := tb.text("header .who bdi"); got != u.Username {
		tb.t.Errorf("header names %q, want %q", got, u.Username)
	}
}

var e2eModes = []struct {
	lang string
	js   bool
}{{"ar", false}, {"en", false}, {"ar", true}, {"en", true}, {"ckb", false}}

func jsName(on bool) string {
	if on {
		return "js-on"
	}
	return "js-off"
}

// TestE2E runs every flow in a real browser: sign-in, enrolment, and the
// incident flows (create with two Arabic-named victims, edit, history,
// search with a hamza variant), in Arabic and English, JavaScript off and
// on, in one Chromium.
func TestE2E(t *testing.T) {
	b := newE2EBrowser(t)
	h := newE2EHarness(t)
	users := map[string]*model.User{}
	for _, m := range e2eModes {
		name := "e2e-" + m.lang + "-" + jsName(m.js)
		users[name] = e2eUser(h, name, model.RoleAnalyst, m.lang)
	}
	newcomer := &model.User{Username: "e2e-newcomer", Role: model.RoleDocumenter, Lang: "ar",
		PasswordHash: account.HashPassword(testPassword)}
	if err := h.st.CreateUser(context.Background(), "test", newcomer); err != nil {
		t.Fatal(err)
	}

	e2eSeedStatistics(t, h)

	t.Run("enrol/ar/js-off", func(t *testing.T) {
		tb := b.tab(t, h.ts.URL, "ar", false)
		e2eEnrol(tb, h, newcomer)
	})
	for _, lang := range []string{"ar", "en"} {
		u := e2eUser(h, "e2e-password-"+lang, model.RoleProtection, lang)
		t.Run("password/"+lang+"/js-off", func(t *testing.T) { e2ePassword(b.tab(t, h.ts.URL, lang, false), h, u) })
	}
	t.Run("compartments/ar/js-off", func(t *testing.T) {
		e2eCompartments(b.tab(t, h.ts.URL, "ar", false), h, e2eUser(h, "e2e-coordinator", model.RoleCoordinator, "ar"))
	})
	for _, m := range e2eModes {
		t.Run(m.lang+"/"+jsName(m.js), func(t *testing.T) {
			t.Parallel() // tabs of one browser; the server takes them at once
			tb := b.tab(t, h.ts.URL, m.lang, m.js)
			u := users["e2e-"+m.lang+"-"+jsName(m.js)]
			tb.signIn(h, u)
			tb.shot("overview")
			e2eRecords(tb, u)
			tb.checkScripting() // still as set after all those pages
		})
	}
}

// e2eEnrol: a user without an authenticator signs in, reads the secret
// from the page, confirms it with a code and gets ten recovery codes.
func e2eEnrol(tb *e2eTab, h *harness, u *model.User) {
	tb.t.Helper()
	tb.open("/login")
	tb.typeIn("#username", u.Username)
	tb.typeIn("#password", testPassword)
	tb.click(`form[action="/login"] button[type=submit]`)
	if p := tb.path(); p != "/enrol" {
		tb.t.Fatalf("a user without TOTP lands on %s, want /enrol", p)
	}
	tb.heading("enrol.title")
	shown := tb.text("code#secret")
	if !regexp.MustCompile(`^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$`).MatchString(shown) {
		tb.t.Fatalf("the secret is shown as %q, want base32 in groups of four", shown)
	}
	tb.shot("enrol")
	code, err := totp.GenerateCode(strings.ReplaceAll(shown, " ", ""), h.now)
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.typeIn("#code", otherCode(code))
	tb.clickFor(`form[action="/enrol"] button[type=submit]`, 401)
	if n := tb.count("div.qr-box svg"); n != 1 || tb.text("code#secret") != shown {
		tb.t.Fatalf("after a wrong code: %d QR codes, key %q; want the same key again with its QR code", n, tb.text("code#secret"))
	}
	tb.typeIn("#code", code)
	tb.click(`form[action="/enrol"] button[type=submit]`)
	tb.heading("recovery.title")
	if n := tb.count("ol.codes li code"); n != 10 {
		tb.t.Fatalf("%d recovery codes shown, want 10", n)
	}
	tb.click(`main a.button[href="/"]`)
	if p := tb.path(); p != "/" {
		tb.t.Fatalf("after the recovery codes: at %s, want /", p)
	}
	tb.heading("home.title")
	stored, err := h.st.GetUser(context.Background(), u.ID)
	if err != nil {
		tb.t.Fatal(err)
	}
	if !stored.Enrolled() || len(stored.RecoveryCodes) != 10 {
		tb.t.Fatalf("after enrolment: enrolled=%v, %d recovery codes stored", stored.Enrolled(), len(stored.RecoveryCodes))
	}
}

// The victims of the incident every flow records, and the search with a
// hamza variant (ا for أ) that must find it.
const (
	e2eVictim1 = "أمجد الدهامات"
	e2eVictim2 = "زينب مصطفى"
	e2eQuery   = "امجد"
	e2eMatch   = "أمجد" // the word the results must mark
)

// e2eRecords: the record flows of a signed-in analyst: create an incident
// with two victims, edit it, read its history, find it from the header's
// search box, and the lists.
func e2eRecords(tb *e2eTab, u *model.User) {
	tb.t.Helper()
	id := tb.createIncident()
	tb.editIncident(id, u)
	tb.searchIncident(id)

	tb.click(`header nav a[href="/incidents"]`)
	tb.heading("incidents.title")
	if tb.count(fmt.Sprintf(`main table a[href="/incidents/%s"]`, id)) != 1 {
		tb.t.Errorf("the incident list does not link the new incident %s", id)
	}
	tb.shot("incidents")

	tb.click(`header nav a[href="/persons"]`)
	tb.heading("persons.title")
	list := tb.text("main")
	for _, name := range []string{e2eVictim1, e2eVictim2} {
		if !strings.Contains(list, name) {
			tb.t.Errorf("the persons list does not show the victim %s", name)
		}
	}
	tb.shot("persons")

	tb.dashboard()
}

// e2eSeedStatistics records incidents over the twelve months before the
// harness's today, so that the dashboard has figures to draw: several
// types, governorates, perpetrators and outcomes, one of them restricted
// to someone else (counted, never listed to the analysts of the flows).
func e2eSeedStatistics(t *testing.T, h *harness) {
	t.Helper()
	seed := []struct {
		months                 int
		typ, gov, verification string
		victims                []string
		perp                   string
	}{
		{1, "killing", "IQ-BG", "verified", []string{"activist killed"}, "unidentified_gunmen"},
		{1, "kidnapping", "IQ-BG", "corroborated", []string{"journalist abducted", "activist released"}, "militia"},
		{2, "death_threat", "IQ-BA", "corroborated", []string{"hrd unharmed"}, "militia"},
		{3, "arbitrary_detention", "IQ-DQ", "verified", []string{"protest_organiser released"}, "security_forces"},
		{3, "killing", "IQ-BA", "corroborated", []string{"activist killed", "relative injured"}, "unidentified_gunmen"},
		{4, "assault", "IQ-NA", "corroborated", []string{"journalist injured"}, "security_forces"},
		{5, "attempted_killing", "IQ-KA", "verified", []string{"lawyer injured"}, "unidentified_gunmen"},
		{6, "kidnapping", "IQ-BG", "corroborated", []string{"activist missing"}, "militia"},
		{7, "smear_incitement", "IQ-NI", "corroborated", []string{"blogger unharmed"}, "political_party"},
		{8, "killing", "IQ-DQ", "verified", []string{"activist killed"}, "militia"},
		{9, "torture", "IQ-BG", "corroborated", []string{"protest_organiser injured"}, "security_forces"},
		{10, "attack_on_property", "IQ-BA", "verified", []string{"ngo_staff unharmed"}, "tribal"},
		{11, "forced_displacement", "IQ-NI", "corroborated", []string{"journalist fled"}, "militia"},
		{2, "death_threat", "IQ-BG", "reported", []string{"activist unharmed"}, "unknown"},
		{4, "killing", "IQ-BG", "disputed", []string{"activist killed"}, "unknown"},
	}
	for i, s := range seed {
		day := h.now.AddDate(0, -s.months, 0).Format("2006-01-02")
		inc := &model.Incident{Type: s.typ, Date: model.Date{Start: day, End: day, Precision: "day"},
			Place: model.Place{Country: "IQ", Admin1: s.gov}, Verification: s.verification, Visibility: model.VisibilityInternal,
			Perpetrators: []model.Perpetrator{{Type: s.perp}}, SummaryEN: fmt.Sprintf("Statistics sample %d", i+1)}
		if i == 1 {
			inc.Visibility = model.VisibilityRestricted
		}
		for j, v := range s.victims {
			role, outcome, _ := strings.Cut(v, " ")
			inc.Victims = append(inc.Victims, model.Victim{Role: role, Outcome: outcome,
				Person: &model.Person{NameLatin: fmt.Sprintf("Sample victim %d-%d", i+1, j+1), Visibility: model.VisibilityInternal}})
			if outcome == "killed" {
				inc.Fatalities++
			}
		}
		if err := h.st.CreateIncident(context.Background(), "e2e-seed", inc); err != nil {
			t.Fatal(err)
		}
	}
}

// dashboard opens the statistics from the menu, filters them with the
// form (a plain GET, no script) and follows a figure to its receipt.
func (tb *e2eTab) dashboard() {
	tb.t.Helper()
	tb.click(`header nav a[href="/dashboard"]`)
	tb.heading("dashboard.title")
	if n := tb.count("main svg[role=img]"); n < 5 {
		tb.t.Errorf("the dashboard draws %d charts, want the trend, the map, places, perpetrators and outcomes", n)
	}
	if n := tb.count("main li.figure a.big"); n != 3 {
		tb.t.Errorf("the dashboard shows %d headline figures, want 3", n)
	}
	if n := tb.count(`main svg a[href^="/dashboard/receipt?"]`); n == 0 {
		tb.t.Error("no chart or map links to a receipt")
	}
	if tb.count("main svg.map") != 1 || tb.count(`main svg.map a[href^="/dashboard/receipt?"]`) == 0 {
		tb.t.Error("the dashboard has no governorate map linking to receipts")
	}
	tb.checkDrawn()
	tb.shot("dashboard")
	tb.printable()

	tb.do(chromedp.Click(chromedp.CSS(`form.dash-filters details summary`))) // the types
	tb.do(chromedp.Click(chromedp.CSS(`form.dash-filters input[name=type][value=killing]`)))
	tb.click(`form.dash-filters button[type=submit]`)
	if p := tb.path(); !strings.HasPrefix(p, "/dashboard?") || !strings.Contains(p, "type=killing") {
		tb.t.Fatalf("the filter form led to %s", p)
	}
	if n := tb.count(`main a.chip`); n != 1 {
		tb.t.Errorf("after filtering by type: %d active filters shown, want 1", n)
	}
	tb.click(`main li.figure.chosen a.big`)
	if p := tb.path(); !strings.HasPrefix(p, "/dashboard/receipt?") {
		tb.t.Fatalf("the headline figure led to %s", p)
	}
	tb.heading("dashboard.receipt.title")
	if n := tb.count(`main table.receipt tbody tr`); n < 2 {
		tb.t.Errorf("the receipt of the killings of the last 12 months lists %d, want at least 2", n)
	}
	tb.shot("dashboard-receipt")
	if locale.ArabicScript(tb.lang) {
		tb.digitSwitch()
	}
}

// digitSwitch switches a dashboard in Arabic script from its language's
// default digits to the others with the header's switch, and back: the
// figures and the charts' labels change.
func (tb *e2eTab) digitSwitch() {
	tb.t.Helper()
	tb.open("/dashboard")
	arabic := "٠١٢٣٤٥٦٧٨٩"
	digits := func(arab bool) {
		fig, labels := tb.text("main li.figure a.big"), tb.run(chromedp.Evaluate[string](
			`[...document.querySelectorAll("main svg text")].map(t => t.textContent).join(" ")`))
		for what, s := range map[string]string{"headline figure": fig, "chart labels": labels} {
			if got := strings.ContainsAny(s, arabic); got != arab || strings.ContainsAny(s, "0123456789") == arab {
				tb.t.Errorf("with Arabic-Indic digits %v, the dashboard's %s are %.200q", arab, what, s)
			}
		}
	}
	first, then := "arab", "latn"
	if locale.Get(tb.lang).Digits == "arab" {
		first, then = then, first
	}
	digits(first == "latn") // the default: the other digits are offered
	tb.click(`header form:has(input[name=digits][value=` + first + `]) button`)
	digits(first == "arab")
	tb.shot("dashboard-" + first + "-digits")
	tb.click(`header form:has(input[name=digits][value=` + then + `]) button`)
}

// checkDrawn asserts that every SVG of the page is drawn: laid out with a
// size, and with marks in it.
func (tb *e2eTab) checkDrawn() {
	tb.t.Helper()
	bad := tb.run(chromedp.Evaluate[string](`[...document.querySelectorAll("main svg[role=img]")].filter(s => {
		const r = s.getBoundingClientRect();
		return r.width < 100 || r.height < 50 || s.querySelectorAll("rect, path, polyline, line").length < 3;
	}).map(s => s.getAttribute("aria-labelledby")).join(", ")`))
	if bad != "" {
		tb.t.Errorf("%s: SVGs not drawn: %s", tb.path(), bad)
	}
}

// createIncident records an incident with two Arabic-named victims through
// the new-incident form and returns its ID.
func (tb *e2eTab) createIncident() string {
	tb.t.Helper()
	tb.open("/")
	tb.click(`main a.button[href="/incidents/new"]`)
	if p := tb.path(); p != "/incidents/new" {
		tb.t.Fatalf("the overview's new-incident button led to %s", p)
	}
	tb.heading("incident.new")
	tb.shot("incident-form")
	tb.choose("type", "kidnapping")
	tb.typeIn(`[name="date_start"]`, "2024-03-15")
	tb.choose("admin1", "IQ-BG")
	tb.typeIn(`[name="locality"]`, "ساحة التحرير")
	tb.typeIn(`[name="vic.0.name_ar"]`, e2eVictim1)
	tb.typeIn(`[name="vic.0.name_latin"]`, "Amjad al-Dahamat")
	tb.choose("vic.0.role", "activist")
	tb.choose("vic.0.outcome", "abducted")
	tb.typeIn(`[name="vic.1.name_ar"]`, e2eVictim2)
	tb.choose("vic.1.gender", "female")
	tb.choose("vic.1.role", "journalist")
	tb.choose("vic.1.outcome", "abducted")
	tb.typeIn(`[name="summary_ar"]`, "اختطاف "+e2eVictim1+" و"+e2eVictim2+" قرب ساحة التحرير في بغداد")
	tb.click(`form[action="/incidents"] button[name=action][value=save]`)
	m := regexp.MustCompile(`^/incidents/([^/?]+)\?notice=created$`).FindStringSubmatch(tb.path())
	if m == nil {
		tb.t.Fatalf("saving the new incident led to %s: %s", tb.path(), tb.text("main"))
	}
	if got, want := tb.text("main .notice"), i18n.T(tb.lang, "incident.notice.created"); got != want {
		tb.t.Errorf("notice %q, want %q", got, want)
	}
	victims := tb.text("main table.list tbody") // the first table is the perpetrators' or the victims'
	page := tb.text("main")
	for _, name := range []string{e2eVictim1, e2eVictim2} {
		if !strings.Contains(page, name) {
			tb.t.Errorf("the incident page does not show the victim %s (victims: %q)", name, victims)
		}
	}
	if n := tb.count(`main a[href^="/persons/"]`); n != 2 {
		tb.t.Errorf("the incident page links %d persons, want the 2 victims", n)
	}
	tb.shot("incident")
	tb.printable()
	return m[1]
}

// choose picks an option of the select named name, by its value.
func (tb *e2eTab) choose(name, value string) {
	tb.t.Helper()
	sel := fmt.Sprintf(`select[name=%q]`, name)
	tb.do(chromedp.SetValue(chromedp.CSS(sel), value))
	if got := tb.run(chromedp.Value(chromedp.CSS(sel))); got != value {
		tb.t.Fatalf("select %s has no option %q", name, value)
	}
}

// printable checks the print stylesheet: the page without its header,
// footer and forms.
func (tb *e2eTab) printable() {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		tb.t.Fatal(err)
	}
	defer chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
	hidden, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`["header.top", "footer", "main form"].every(sel =>
		[...document.querySelectorAll(sel)].every(e => getComputedStyle(e).display === "none"))`))
	if err != nil {
		tb.t.Fatal(err)
	}
	if !hidden {
		tb.t.Errorf("%s: printed, the page still shows its header, footer or forms", tb.path())
	}
}

// editIncident changes the incident's verification and summary through
// the edit form, then reads the change and its author in the history.
func (tb *e2eTab) editIncident(id string, u *model.User) {
	tb.t.Helper()
	tb.click(fmt.Sprintf(`main a.button[href="/incidents/%s/edit"]`, id))
	if p := tb.path(); p != "/incidents/"+id+"/edit" {
		tb.t.Fatalf("the edit button led to %s", p)
	}
	tb.choose("verification", "corroborated")
	summary := "اختطاف " + e2eVictim1 + " و" + e2eVictim2 + " من أمام منزلهما، بشهادة شاهدين"
	tb.typeIn(`[name="summary_ar"]`, summary)
	tb.click(fmt.Sprintf(`form[action="/incidents/%s"] button[name=action][value=save]`, id))
	if p := tb.path(); p != "/incidents/"+id+"?notice=saved" {
		tb.t.Fatalf("saving the edit led to %s: %s", p, tb.text("main"))
	}
	corroborated := tb.label("verification_status", "corroborated")
	if h1 := tb.text("main h1"); !strings.Contains(h1, corroborated) {
		tb.t.Errorf("after the edit the heading is %q, want the status %q", h1, corroborated)
	}
	if !strings.Contains(tb.text("main"), summary) {
		tb.t.Errorf("the incident page does not show the new summary")
	}

	tb.click(fmt.Sprintf(`main a[href="/incidents/%s/history"]`, id))
	if p := tb.path(); p != "/incidents/"+id+"/history" {
		tb.t.Fatalf("the history link led to %s", p)
	}
	// Newest first: the first section is the edit.
	if got := tb.text("main section:first-of-type p.small bdi"); got != u.Username {
		tb.t.Errorf("the newest version was made by %q, want %q", got, u.Username)
	}
	changes := tb.text("main section:first-of-type table")
	for _, want := range []string{fieldLabel(tb.lang, "verification"), fieldLabel(tb.lang, "summary_ar"),
		corroborated, summary} {
		if !strings.Contains(changes, want) {
			tb.t.Errorf("the history's newest change does not show %q:\n%s", want, changes)
		}
	}
	tb.shot("history")
}

// label is a vocabulary term's label in the tab's language.
func (tb *e2eTab) label(vocabulary, code string) string {
	p := &page{Lang: tb.lang}
	return p.Label(vocabulary, code)
}

// searchIncident types a hamza variant of a victim's name into the
// header's search box and finds the incident, the match marked.
func (tb *e2eTab) searchIncident(id string) {
	tb.t.Helper()
	tb.typeIn("header form.search input[name=q]", e2eQuery)
	tb.click("header form.search button[type=submit]")
	if p := tb.path(); !strings.HasPrefix(p, "/search?") {
		tb.t.Fatalf("the header's search box led to %s", p)
	}
	tb.heading("search.title")
	marked, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`(() => {
		const a = document.querySelector('main table a[href="/incidents/%s"]');
		return a ? [...a.closest("tr").querySelectorAll("mark")].map(m => m.textContent) : null;
	})()`, id)))
	if err != nil {
		tb.t.Fatal(err)
	}
	if marked == nil {
		tb.t.Fatalf("searching %q does not find incident %s:\n%s", e2eQuery, id, tb.text("main"))
	}
	if len(marked) == 0 || marked[0] != e2eMatch {
		tb.t.Errorf("searching %q: the incident's row marks %q, want <mark>%s</mark>", e2eQuery, marked, e2eMatch)
	}
	persons, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('main ul.results a[href^="/persons/"] mark')].map(m => m.textContent)`))
	if err != nil {
		tb.t.Fatal(err)
	}
	if len(persons) == 0 || persons[0] != e2eMatch {
		tb.t.Errorf("searching %q: the persons found mark %q, want <mark>%s</mark>", e2eQuery, persons, e2eMatch)
	}
	tb.shot("search")
}
