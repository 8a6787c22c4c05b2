package web

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"text/template/parse"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// The browser's Accept-Language picks the sign-in page's language among
// all of the locale table's; Sorani is right to left.
func TestLangFromBrowser(t *testing.T) {
	h := newHarness(t)
	for accept, want := range map[string]string{
		"ckb-IQ,ckb;q=0.9,ar;q=0.8": "ckb",
		"ar-IQ,ar;q=0.9":            "ar",
		"fr-FR,fr;q=0.9,ar;q=0.5":   "ar",
		"de-DE":                     "en",
		"":                          "en",
	} {
		req, _ := http.NewRequest(http.MethodGet, h.ts.URL+"/login", nil)
		if accept != "" {
			req.Header.Set("Accept-Language", accept)
		}
		_, body := h.anonymous().do(req)
		head := `<html lang="` + want + `" dir="` + locale.Dir(want) + `">`
		if !strings.Contains(body, head) || !strings.Contains(body, ">"+i18n.T(want, "login.title")+"</h1>") {
			t.Errorf("Accept-Language %q: want %s and its sign-in title; page starts %.200s", accept, head, body)
		}
	}
}

// The switch offers every other language by its own name; choosing Sorani
// stores it for the user, and the pages follow it.
func TestLangSwitchToSorani(t *testing.T) {
	h := newHarness(t)
	u := h.user("shirin", model.RoleAnalyst)
	c := h.as(u)
	_, body := c.get("/")
	for _, l := range []locale.Locale{locale.Get("ar"), locale.Get("ckb")} {
		button := `name="lang" value="` + l.Code + `" lang="` + l.Code + `" dir="` + l.Dir + `">` + l.Name + `</button>`
		if !strings.Contains(body, button) {
			t.Errorf("the switch does not offer %s: want %s", l.Code, button)
		}
	}
	if strings.Contains(body, `value="en" lang="en"`) {
		t.Error("the switch offers the page's own language")
	}
	if resp, _ := c.post("/lang", url.Values{"lang": {"ckb"}, "back": {"/"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch to Sorani: %d", resp.StatusCode)
	}
	if got, _ := h.st.GetUser(context.Background(), u.ID); got.Lang != "ckb" {
		t.Fatalf("the user's language is %q after choosing Sorani", got.Lang)
	}
	_, body = c.get("/")
	if !strings.Contains(body, `<html lang="ckb" dir="rtl">`) || !strings.Contains(body, ">"+i18n.T("ckb", "nav.incidents")+"</a>") {
		t.Errorf("after choosing Sorani the page is not in Sorani: %.300s", body)
	}
	// A signed-in user's stored language wins over the browser's.
	req, _ := http.NewRequest(http.MethodGet, h.ts.URL+"/", nil)
	req.Header.Set("Accept-Language", "en")
	if _, body := c.do(req); !strings.Contains(body, `<html lang="ckb"`) {
		t.Error("the stored language lost to Accept-Language")
	}
}

// Sorani pages write numbers and dates with Arabic-Indic digits unless the
// reader chooses Western ones; month names are Sorani.
func TestSoraniDigits(t *testing.T) {
	h := newHarness(t)
	u := h.user("karwan", model.RoleAnalyst)
	u.Lang = "ckb"
	if err := h.st.UpdateUser(context.Background(), "test", u); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		inc := storetest.Incident()
		if err := h.st.CreateIncident(context.Background(), "karwan", &inc); err != nil {
			t.Fatal(err)
		}
	}
	c := h.as(u)
	main := func(body string) string { return body[strings.Index(body, "<main>"):] }
	_, body := c.get("/")
	if b := main(body); !strings.Contains(b, "٣ ڕووداو") || !strings.Contains(b, "٢٠١٩") || strings.Contains(b, ">2019") {
		t.Errorf("a Sorani page without a choice of digits: %s", b)
	}
	if !strings.Contains(body, `name="digits" value="latn"`) {
		t.Error("a Sorani page offers no Western digits")
	}
	c.post("/lang", url.Values{"digits": {"latn"}, "back": {"/"}})
	_, body = c.get("/")
	if b := main(body); !strings.Contains(b, "3 ڕووداو") || strings.Contains(b, "٣") {
		t.Errorf("Western digits chosen, yet: %s", b)
	}
	if got, _ := h.st.GetUser(context.Background(), u.ID); got.Lang != u.Lang {
		t.Errorf("choosing digits changed the language to %q", got.Lang)
	}
}

// missingIn is a message of the fallback catalogue that lang lacks.
func missingIn(t *testing.T, lang string) string {
	t.Helper()
	keys := i18n.Keys(locale.Fallback)
	sort.Strings(keys)
	for _, k := range keys {
		if !i18n.Has(lang, k) && !strings.Contains(k, ".one") && !strings.Contains(k, ".other") {
			return k
		}
	}
	t.Skipf("%s lacks no message", lang)
	return ""
}

// localised parses src as a page, localises it for lang and renders it
// with p.
func localised(t *testing.T, src, lang string, p *page) (string, error) {
	t.Helper()
	tmpl, err := template.New("layout.html").Funcs(funcs).Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := localise(tmpl, "layout.html", lang); err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, "layout.html", p); err != nil {
		t.Fatal(err)
	}
	return b.String(), nil
}

// A message Sorani lacks shows in English, marked as such in element
// content (constant or not), plain in attributes and the title, never as
// a raw key.
func TestUntranslatedShowsMarked(t *testing.T) {
	key := missingIn(t, "ckb")
	en := template.HTMLEscapeString(i18n.T("en", key))
	span := `<span lang="en" dir="ltr" class="untranslated">` + en + `</span>`
	got, err := localised(t, `<title>{{.T "`+key+`"}}</title><p>{{.T "`+key+`"}}</p><p>{{.T .Data}}</p>`+
		`<input placeholder="{{.T "`+key+`"}}"><input placeholder="{{.T .Data}}"><p>{{.T "login.title"}}</p>`,
		"ckb", &page{Lang: "ckb", Data: key})
	if err != nil {
		t.Fatal(err)
	}
	want := `<title>` + en + `</title><p>` + span + `</p><p>` + span + `</p>` +
		`<input placeholder="` + en + `"><input placeholder="` + en + `"><p>` + i18n.T("ckb", "login.title") + `</p>`
	if got != want {
		t.Errorf("rendered\n%s\nwant\n%s", got, want)
	}
	// The vocabulary labels and plural messages of element content too.
	got, _ = localised(t, `<p>{{.Label "incident_type" "killing"}}</p><p>{{.Admin1 "IQ-AR"}}</p><p>{{.N "home.total" 2}}</p>`,
		"ckb", &page{Lang: "ckb", ArabicDigits: true})
	if want := `<p>کوشتن</p><p>هەولێر</p><p>٢ ڕووداو کە دەتوانیت بیانبینیت.</p>`; got != want {
		t.Errorf("Sorani labels: %s, want %s", got, want)
	}
	got, _ = localised(t, `<p>{{.Label "incident_type" "killing"}}</p>`, "fr", &page{Lang: "fr"})
	if got != `<p><span lang="en" dir="ltr" class="untranslated">Killing</span></p>` {
		t.Errorf("a label the language lacks: %s", got)
	}
}

// 8b: localise inserts already-escaped text, which is right only in element
// content, a quoted attribute value and RCDATA. Every page's templates
// pass; a message in a URL, script, style or unquoted attribute is refused.
func TestMessagesOnlyWhereEscapedTextIsSafe(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatalf("the templates: %v", err)
	}
	if len(pages) != len(locale.Codes()) || len(pages["ckb"]) < 20 {
		t.Fatalf("parsed %d languages, %d Sorani pages", len(pages), len(pages["ckb"]))
	}
	for name, src := range map[string]string{
		"href":               `<a href="{{.T "login.title"}}">x</a>`,
		"URL query":          `<a href="/search?q={{.T "login.title"}}">x</a>`,
		"src":                `<img src="{{.T "login.title"}}">`,
		"script":             `<script>var s = "{{.T "login.title"}}";</script>`,
		"script value":       `<script>var s = {{.T "login.title"}};</script>`,
		"event handler":      `<p onclick="alert('{{.T "login.title"}}')">x</p>`,
		"style element":      `<style>p::before { content: "{{.T "login.title"}}" }</style>`,
		"style attribute":    `<p style="font-family: {{.T "login.title"}}">x</p>`,
		"unquoted attribute": `<p title={{.T "login.title"}}>x</p>`,
		"attribute name":     `<p {{.T "login.title"}}="x">x</p>`,
		"in a partial":       `{{define "x"}}<a href="{{.T "login.title"}}">x</a>{{end}}<p>{{template "x" .}}</p>`,
	} {
		if _, err := localised(t, src, "ar", &page{Lang: "ar"}); err == nil || !strings.Contains(err.Error(), `"login.title"`) {
			t.Errorf("%s: %s was accepted (%v)", name, src, err)
		}
	}
	// Where it is allowed, the text is escaped once, as the browser reads it.
	key := "form.find_results" // holds quotes
	msg := i18n.T("en", key)
	if !strings.ContainsAny(msg, `"'&<>`) {
		t.Fatalf("%s has nothing to escape: %q", key, msg)
	}
	got, err := localised(t, `<p title="{{.T "`+key+`"}}">{{.T "`+key+`"}}</p><textarea>{{.T "`+key+`"}}</textarea>`, "en", &page{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	esc := template.HTMLEscapeString(msg)
	if want := `<p title="` + esc + `">` + esc + `</p><textarea>` + esc + `</textarea>`; got != want || strings.Contains(got, "&amp;#") {
		t.Errorf("rendered %s, want %s", got, want)
	}
}

// Every constant message of every page is localised (none is left as a
// call at run time), in every language.
func TestEveryConstantMessageLocalised(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	for lang, set := range pages {
		for name, tmpl := range set {
			for _, tt := range tmpl.Templates() {
				if tt.Tree == nil {
					continue
				}
				var walk func(parse.Node)
				walk = func(n parse.Node) {
					switch n := n.(type) {
					case *parse.ListNode:
						if n != nil {
							for _, c := range n.Nodes {
								walk(c)
							}
						}
					case *parse.ActionNode:
						esc := escapersOf(n.Pipe)
						if key, ok := constantMessage(n.Pipe.Cmds[0]); ok && len(esc) > 0 && len(n.Pipe.Cmds) == len(esc)+1 {
							t.Errorf("%s/%s (%s): message %q left as a call", lang, name, tt.Name(), key)
						}
					case *parse.IfNode:
						walk(n.List)
						walk(n.ElseList)
					case *parse.RangeNode:
						walk(n.List)
						walk(n.ElseList)
					case *parse.WithNode:
						walk(n.List)
						walk(n.ElseList)
					}
				}
				walk(tt.Tree.Root)
			}
		}
	}
}

// A Sorani admin is shown the Sorani confirmation phrase, and typing it
// confirms the panic wipe.
func TestPanicWipeSoraniPhrase(t *testing.T) {
	h := newHarness(t)
	_, _, calls := panicSetup(t, h)
	admin := h.user("admin1", model.RoleAdmin)
	admin.Lang = "ckb"
	if err := h.st.UpdateUser(context.Background(), "test", admin); err != nil {
		t.Fatal(err)
	}
	c := h.as(admin)
	phrase := "هەموو داتاکان بسڕەوە"
	if _, body := c.get("/admin/panic"); !strings.Contains(body, phrase) || !strings.Contains(body, i18n.T("ckb", "panic.submit")) {
		t.Fatalf("the Sorani panic page does not ask for %q", phrase)
	}
	resp, body := c.post("/admin/panic", url.Values{"password": {testPassword}, "phrase": {" " + phrase + " "}})
	if resp.StatusCode != http.StatusGone || *calls != 1 {
		t.Fatalf("panic wipe (Sorani phrase): %d calls %d\n%.300s", resp.StatusCode, *calls, body)
	}
}

// TestSignInKeepsChosenLanguage: a user whose account is in Arabic chooses
// English on the sign-in page; signing in keeps English, and saves it.
func TestSignInKeepsChosenLanguage(t *testing.T) {
	h := newHarness(t)
	u := h.userLang("keeps-lang", model.RoleAnalyst, "ar")
	c := h.anonymous()
	c.get("/login")
	if resp, _ := c.post("/lang", url.Values{"lang": {"en"}, "back": {"/login"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /lang: %d", resp.StatusCode)
	}
	if resp, _ := c.post("/login", url.Values{"username": {u.Username}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /login: %d", resp.StatusCode)
	}
	if _, body := c.get("/login/totp"); !strings.Contains(body, `<html lang="en" dir="ltr">`) {
		t.Error("after the password, the page is not in the English chosen on the sign-in page")
	}
	if stored, _ := h.st.GetUser(context.Background(), u.ID); stored.Lang != "en" {
		t.Errorf("the account's language is %q, want the chosen en", stored.Lang)
	}
}
