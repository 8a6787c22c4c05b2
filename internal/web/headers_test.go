package web

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/model"
)

// What every response carries, what no page contains, and what the logs
// must never hold (SECURITY.md, "Hostile network": strict CSP, no client IPs or personal
// data in logs).

// headerProblems lists what is wrong with a response's security headers.
func headerProblems(resp *http.Response, path string) []string {
	var out []string
	h := resp.Header
	out = append(out, cspProblems(h.Get("Content-Security-Policy"))...)
	if got := h.Get("Referrer-Policy"); got != "no-referrer" {
		out = append(out, fmt.Sprintf("Referrer-Policy %q, want no-referrer", got))
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		out = append(out, fmt.Sprintf("X-Content-Type-Options %q, want nosniff", got))
	}
	// A static asset that exists may be cached; every other answer (pages,
	// redirects, errors, a missing asset's error page) holds session data.
	static := strings.HasPrefix(path, "/static/") && resp.StatusCode == http.StatusOK
	if cc := h.Get("Cache-Control"); !static && !hasToken(cc, "no-store") {
		out = append(out, fmt.Sprintf("Cache-Control %q, want no-store", cc))
	}
	return out
}

func hasToken(list, tok string) bool {
	for _, t := range strings.Split(list, ",") {
		if strings.EqualFold(strings.TrimSpace(t), tok) {
			return true
		}
	}
	return false
}

// cspProblems checks a Content-Security-Policy: everything denied by
// default, no script of any kind, nothing unsafe, no framing.
func cspProblems(csp string) []string {
	if csp == "" {
		return []string{"no Content-Security-Policy"}
	}
	var out []string
	dirs := map[string][]string{}
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		dirs[strings.ToLower(f[0])] = f[1:]
		for _, v := range f[1:] {
			if strings.Contains(strings.ToLower(v), "unsafe") {
				out = append(out, fmt.Sprintf("CSP %s allows %s", f[0], v))
			}
		}
	}
	only := func(name, want string) bool {
		v, ok := dirs[name]
		return ok && len(v) == 1 && v[0] == want
	}
	if !only("default-src", "'none'") {
		out = append(out, fmt.Sprintf("CSP default-src %q, want 'none'", dirs["default-src"]))
	}
	for _, d := range []string{"script-src", "script-src-elem", "script-src-attr", "worker-src"} {
		if _, ok := dirs[d]; ok && !only(d, "'none'") {
			out = append(out, fmt.Sprintf("CSP %s %q: no script may run", d, dirs[d]))
		}
	}
	if !only("frame-ancestors", "'none'") {
		out = append(out, fmt.Sprintf("CSP frame-ancestors %q, want 'none'", dirs["frame-ancestors"]))
	}
	return out
}

// walkTarget is one request of the walks below.
type walkTarget struct {
	method, path string
}

// targets are the requests that reach every route, with the IDs of
// records the coordinator created (so that they exist and are visible),
// and a few that reach no route at all.
func targets(f *matrixFixture) []walkTarget {
	var out []walkTarget
	for _, rt := range f.h.srv.Routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		_, kind := classify(rt.Pattern)
		id := "x"
		if kind != "" {
			id = f.ids(kind, model.RoleCoordinator, false)[ownRestricted]
			if kind == kindUser {
				id = f.target.ID
			}
		}
		out = append(out, walkTarget{method, fill(path, id)})
	}
	missing := uuid.Must(uuid.NewV7()).String()
	return append(out,
		walkTarget{"GET", "/no-such-page"},
		walkTarget{"GET", "/static/no-such.css"},
		walkTarget{"GET", "/incidents/" + missing},
		walkTarget{"GET", "/persons/" + missing + "/edit"},
		walkTarget{"POST", "/no-such-form"},
		walkTarget{"GET", "/search?q=" + url.QueryEscape("كربلاء")},
		walkTarget{"GET", "/dashboard?type=killing&governorate=IQ-BG&last=all&min-verification=reported"},
		walkTarget{"GET", "/dashboard?type=murder"}, // a filter refused: 400 with the form
		walkTarget{"GET", "/dashboard/receipt?by=month&group=unplaced&last=all"},
	)
}

func (f *matrixFixture) request(c *client, t walkTarget) (*http.Response, string) {
	if t.method == http.MethodPost {
		return c.post(t.path, url.Values{})
	}
	if t.method == http.MethodGet {
		return c.get(t.path)
	}
	req, _ := http.NewRequest(t.method, f.h.ts.URL+t.path, nil)
	return c.do(req)
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	h := newHarness(t)
	f := newMatrixFixture(h)
	all := append(targets(f), walkTarget{"DELETE", "/login"}, walkTarget{"PUT", "/incidents"})
	statuses := map[int]int{}
	for _, who := range []string{anon, model.RoleCoordinator} {
		for _, tg := range all {
			resp, _ := f.request(f.client(who), tg)
			statuses[resp.StatusCode]++
			for _, p := range headerProblems(resp, tg.path) {
				t.Errorf("%s %s as %s (%d): %s", tg.method, tg.path, who, resp.StatusCode, p)
			}
		}
	}
	for _, code := range []int{200, 303, 403, 404} {
		if statuses[code] == 0 {
			t.Errorf("no response had status %d: the walk missed a kind of answer (%v)", code, statuses)
		}
	}
}

// pageProblems lists what is wrong with an HTML page: a POST form without
// this session's CSRF token, a GET form that would put the token in a URL,
// a form posting elsewhere, and anything the CSP would block (scripts,
// inline styles and event handlers, javascript: URLs), since that is
// either an attack or a broken page.
func pageProblems(body, csrf string) []string {
	var out []string
	if strings.Contains(strings.ToLower(body), "<script") {
		out = append(out, "contains <script")
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return append(out, "does not parse: "+err.Error())
	}
	forms := 0
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.DataAtom {
		case atom.Script, atom.Style:
			out = append(out, fmt.Sprintf("has a <%s> element", n.Data))
		case atom.Form:
			forms++
			out = append(out, formProblems(n, csrf)...)
		}
		for _, a := range n.Attr {
			k, v := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
			switch {
			case strings.HasPrefix(k, "on"):
				out = append(out, fmt.Sprintf("<%s %s=…>: inline event handler", n.Data, a.Key))
			case k == "style":
				out = append(out, fmt.Sprintf("<%s style=%q>: inline style (blocked by the CSP)", n.Data, a.Val))
			case (k == "href" || k == "src" || k == "action" || k == "formaction") && strings.HasPrefix(v, "javascript:"):
				out = append(out, fmt.Sprintf("<%s %s=%q>", n.Data, a.Key, a.Val))
			}
		}
	}
	if forms == 0 {
		out = append(out, "no form at all (every page has the language switch)")
	}
	return out
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

func formProblems(form *html.Node, csrf string) []string {
	method, _ := attr(form, "method")
	action, _ := attr(form, "action")
	desc := fmt.Sprintf("<form method=%q action=%q>", method, action)
	var out []string
	if action != "" && (!strings.HasPrefix(action, "/") || strings.HasPrefix(action, "//")) {
		out = append(out, desc+": posts outside the site")
	}
	var tokens []string
	for n := range form.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.Input {
			if name, _ := attr(n, "name"); name == "csrf" {
				typ, _ := attr(n, "type")
				val, _ := attr(n, "value")
				if !strings.EqualFold(typ, "hidden") {
					out = append(out, desc+": the csrf input is not hidden")
				}
				tokens = append(tokens, val)
			}
		}
	}
	switch {
	case !strings.EqualFold(method, "post"):
		if len(tokens) > 0 {
			out = append(out, desc+": a GET form carries the CSRF token into the URL")
		}
	case len(tokens) != 1:
		out = append(out, fmt.Sprintf("%s: %d csrf inputs, want 1", desc, len(tokens)))
	case unmaskCSRF(csrf) == nil || !bytes.Equal(unmaskCSRF(tokens[0]), unmaskCSRF(csrf)):
		out = append(out, fmt.Sprintf("%s: csrf %q is not this session's token", desc, tokens[0]))
	}
	return out
}

// TestPagesFormsAndScripts renders every page a signed-in coordinator can
// reach (every GET route, every POST route's answer to an empty form that
// shows a page, the error pages) and the public pages, and checks each.
func TestPagesFormsAndScripts(t *testing.T) {
	h := newHarness(t)
	f := newMatrixFixture(h)
	checked := 0
	for _, who := range []string{anon, model.RoleCoordinator} {
		for _, tg := range targets(f) {
			c := f.client(who)
			resp, body := f.request(c, tg)
			if resp.StatusCode/100 == 3 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				continue // a redirect's body is Go's one-line link
			}
			checked++
			for _, p := range pageProblems(body, c.csrf()) {
				t.Errorf("%s %s as %s (%d): %s", tg.method, tg.path, who, resp.StatusCode, p)
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d HTML pages checked", checked)
	}
}

// lockedBuffer is a log destination shared by the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogsCarryNoPersonalData signs in, fails to sign in, gets locked out,
// searches and loads pages with names and words that appear nowhere but
// in what users typed, and checks that the log, at its most detailed
// level, holds none of them, nor the client's address.
func TestLogsCarryNoPersonalData(t *testing.T) {
	h := newHarness(t)
	var buf lockedBuffer
	h.srv.log = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))

	const (
		user   = "zzcanaryuser"
		locked = "zzcanarylocked"
		ghost  = "zzcanaryghost"
		word   = "zzcanaryword"
		pw     = "zzcanarypassword"
	)
	u := h.user(user, model.RoleCoordinator)
	h.user(locked, model.RoleDocumenter)
	c := h.anonymous()
	c.get("/login")
	c.post("/login", url.Values{"username": {user}, "password": {pw}})
	c.post("/login", url.Values{"username": {ghost}, "password": {pw}})
	for range account.LockAfter {
		c.post("/login", url.Values{"username": {locked}, "password": {pw}})
	}
	if !strings.Contains(buf.String(), "account locked") {
		t.Error("no log line for the locked account: the test does not reach it")
	}
	h.now = h.now.Add(account.LockFor) // let the client counter cool down
	signIn(t, h, c, user)
	token := sessionToken(c)
	inc := &model.Incident{Type: "kidnapping", Date: model.Date{Start: "2020-02-02", End: "2020-02-02", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-NA"}, Verification: "reported", Visibility: model.VisibilityInternal,
		SummaryEN: "Abduction of " + word}
	if err := h.st.CreateIncident(t.Context(), u.Username, inc); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/search?q=" + word, "/incidents?q=" + word, "/incidents/" + inc.ID,
		"/incidents/" + inc.ID + "/edit", "/persons?q=" + word, "/incidents/" + word, "/" + word} {
		c.get(p)
	}
	c.post("/incidents", url.Values{"summary_en": {word}, "narrative_en": {word}})
	c.post("/incidents/"+inc.ID, url.Values{"summary_en": {word}, "version": {"1"}})
	c.post("/lang", url.Values{"lang": {"ar"}, "back": {"/" + word}})
	c.post("/logout", nil)

	log := buf.String()
	if !strings.Contains(log, "route=") {
		t.Fatalf("the log has no request lines: the test proves nothing\n%s", log)
	}
	var leaked []string
	for _, secret := range []string{user, locked, ghost, word, pw, "zzcanary", "127.0.0.1", token, u.ID} {
		if secret != "" && strings.Contains(log, secret) {
			leaked = append(leaked, secret)
		}
	}
	if len(leaked) > 0 {
		t.Errorf("the log holds %q:\n%s", leaked, log)
	}
}
