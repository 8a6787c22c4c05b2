package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"text/template/parse"

	"github.com/pquerna/otp/totp"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// rawKeyRE finds a message key shown as itself: i18n.T writes a key it
// has no translation for as "[key]". "%!" is a message given the wrong
// arguments.
var rawKeyRE = regexp.MustCompile(`\[[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+\]|%!`)

// TestTemplateMessagesTranslated: no template shows a message key that has
// no translation, in either language. Constant keys ({{.T "key"}}) are
// translated when the templates are parsed, so every branch of every
// template is read for them; keys made while a page is drawn
// ({{.T .Data.Message}}, {{.T (printf "role.%s" …)}}) are caught by
// drawing every template in both languages, with representative records,
// through the real handlers.
func TestTemplateMessagesTranslated(t *testing.T) {
	h := newHarness(t)
	for lang, pages := range h.srv.pages {
		for name, tmpl := range pages {
			for _, tt := range tmpl.Templates() {
				if tt.Tree == nil {
					continue
				}
				walkText(tt.Tree.Root, func(text string) {
					if m := rawKeyRE.FindString(text); m != "" {
						t.Errorf("%s, template %s (%s): %s has no translation", lang, name, tt.Name(), m)
					}
				})
			}
		}
	}
	drawn := recordTemplates(h.srv)
	for page, body := range drawEveryPage(t, h) {
		for _, m := range rawKeyRE.FindAllString(html.UnescapeString(body), -1) {
			t.Errorf("%s: %s has no translation", page, m)
		}
	}
	for _, lang := range locale.CompleteCodes() {
		var missing []string
		for name := range h.srv.pages[lang] {
			if !drawn[lang+"/"+name] {
				missing = append(missing, name)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("%s: templates never drawn (give drawEveryPage a page that draws each): %v", lang, missing)
		}
	}
}

// walkText calls f with the text of every node under n.
func walkText(n parse.Node, f func(string)) {
	switch n := n.(type) {
	case *parse.TextNode:
		f(string(n.Text))
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				walkText(c, f)
			}
		}
	case *parse.IfNode:
		walkText(n.List, f)
		walkText(n.ElseList, f)
	case *parse.RangeNode:
		walkText(n.List, f)
		walkText(n.ElseList, f)
	case *parse.WithNode:
		walkText(n.List, f)
		walkText(n.ElseList, f)
	}
}

// recordTemplates makes s say which template drew each page, and returns
// the set it fills ("ar/incident").
func recordTemplates(s *Server) map[string]bool {
	drawn := map[string]bool{}
	var mu sync.Mutex
	s.rendered = func(lang, name string) {
		mu.Lock()
		defer mu.Unlock()
		drawn[lang+"/"+name] = true
	}
	return drawn
}

// pageTour draws every page of the interface, in every language, as the
// people who see it (drawEveryPage).
type pageTour struct {
	t    *testing.T
	h    *harness
	lang string
	out  map[string]string // body by language and request
	// Signed in: admin, coordinator, protection officer (both members of
	// the protection compartment, the coordinator of sources too),
	// documenter and analyst.
	ac, cc, pc, dc, anc *client
	prot, analyst       *model.User
	// Records with every kind of field filled in, a history and evidence.
	inc, person, org, ev, src string
	dup                       string   // a second report of inc (duplicates.go)
	atRisk                    []string // the pages of people at risk (atRiskRecords)
	// A commitment, a committee and a judicial step of inc.
	commitment, committee, step string
}

func (pt *pageTour) keep(what string, resp *http.Response, body string) {
	if resp.StatusCode >= 500 {
		pt.t.Errorf("%s %s: %d", pt.lang, what, resp.StatusCode)
	}
	pt.out[pt.lang+" "+what] = body
}

func (pt *pageTour) get(c *client, path string) {
	resp, body := c.get(path)
	pt.keep("GET "+path, resp, body)
}

func (pt *pageTour) post(c *client, path string, form url.Values) {
	resp, body := c.post(path, form)
	pt.keep(fmt.Sprintf("POST %s %v", path, form), resp, body)
}

// drawEveryPage draws every page of the interface in every language, over
// representative records, and forms with mistakes; it returns each page's
// body by language and request.
func drawEveryPage(t *testing.T, h *harness) map[string]string {
	t.Helper()
	ctx := context.Background()
	pt := &pageTour{t: t, h: h, out: map[string]string{}}
	signedIn := func(u *model.User) *client {
		c := h.anonymous()
		signIn(t, h, c, u.Username)
		return c
	}
	admin, coord := h.user("admin", model.RoleAdmin), h.user("coord", model.RoleCoordinator)
	pt.prot, pt.analyst = h.user("prot", model.RoleProtection), h.user("analyst", model.RoleAnalyst)
	doc := h.user("doc", model.RoleDocumenter)
	pt.ac, pt.cc, pt.pc = signedIn(admin), signedIn(coord), signedIn(pt.prot)
	pt.dc, pt.anc = h.as(doc), h.as(pt.analyst)
	grant(t, h, coord, model.CompartmentProtection)
	grant(t, h, coord, model.CompartmentSources)
	if resp, _ := pt.cc.post("/admin/compartments/grant", url.Values{"compartment": {model.CompartmentProtection},
		"user": {pt.prot.ID}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant protection: %d", resp.StatusCode)
	}

	inc := storetest.Incident()
	inc.Verification = "reported"
	if err := h.st.CreateIncident(ctx, doc.Username, &inc); err != nil {
		t.Fatal(err)
	}
	inc.Verification, inc.SummaryEN = "corroborated", inc.SummaryEN+" Two sources."
	if err := h.st.UpdateIncident(ctx, coord.Username, &inc); err != nil {
		t.Fatal(err)
	}
	dup := storetest.Incident() // the same event, reported again
	dup.SummaryEN = "Reporter shot dead by gunmen in Nasiriyah."
	if err := h.st.CreateIncident(ctx, doc.Username, &dup); err != nil {
		t.Fatal(err)
	}
	pt.dup = dup.ID
	src := &model.Source{Type: "eyewitness", Reliability: "B", Label: "S-7"}
	if err := h.st.AddSourceInformation(ctx, doc.Username, src, &model.Information{IncidentID: inc.ID, Credibility: 2,
		ObtainedOn: "2019-12-09", Summary: "Saw the car.\nNo plates."}); err != nil {
		t.Fatal(err)
	}
	ev, err := h.ev.Add(ctx, doc.Username, store.KindIncident, inc.ID, "IMG_0042.jpg", bytes.NewReader(gpsJPEG(t)))
	if err != nil {
		t.Fatal(err)
	}
	h.st.LogCustody(ctx, model.Custody{EvidenceID: ev.ID, Actor: coord.Username, Action: model.CustodyDownloadCopy})
	person, err := h.st.Persons().Get(ctx, inc.Victims[1].PersonID)
	if err != nil {
		t.Fatal(err)
	}
	person.Affiliations, person.RiskLevel, person.Status = []string{"Tishreen NGO"}, "high", "displaced"
	if err := h.st.Persons().Update(ctx, coord.Username, person); err != nil {
		t.Fatal(err)
	}
	org := &model.Organisation{NameAR: "منظمة الرصد", NameEN: "Monitoring NGO", Kind: "ngo", Status: "active",
		Visibility: model.VisibilityInternal, Notes: "Founded 2012.\nSeven founders are in Turkey."}
	if err := h.st.Organisations().Create(ctx, doc.Username, org); err != nil {
		t.Fatal(err)
	}
	org.Status = "dissolved"
	if err := h.st.Organisations().Update(ctx, coord.Username, org); err != nil {
		t.Fatal(err)
	}
	pt.inc, pt.person, pt.org, pt.ev, pt.src = inc.ID, person.ID, org.ID, ev.ID, src.ID
	cmt := &model.Commitment{AuthorityType: "prime_minister", MadeOn: "2020-01-12", Kind: "investigation",
		PromiseEN: "Results within three months", DeadlineDuration: "3m", Incidents: []string{inc.ID},
		StatusHistory: []string{"2020-05-01 broken"}, Visibility: model.VisibilityInternal}
	if err := store.Of[model.Commitment](h.st, kinds.Commitment).Create(ctx, doc.Username, cmt); err != nil {
		t.Fatal(err)
	}
	cte := &model.Committee{NameEN: "Fact-finding committee", FormedType: "prime_minister", FormedOn: "2020-01-15",
		Incidents: []string{inc.ID}, Reported: true, Visibility: model.VisibilityInternal}
	if err := store.Of[model.Committee](h.st, kinds.Committee).Create(ctx, doc.Username, cte); err != nil {
		t.Fatal(err)
	}
	stp := &model.JudicialStep{Incident: inc.ID, Step: "arrest", Date: "2020-02-01", Who: "the gunman", Role: "perpetrator",
		Visibility: model.VisibilityInternal}
	if err := store.Of[model.JudicialStep](h.st, kinds.JudicialStep).Create(ctx, doc.Username, stp); err != nil {
		t.Fatal(err)
	}
	pt.commitment, pt.committee, pt.step = cmt.ID, cte.ID, stp.ID
	pt.post(pt.pc, "/persons/"+pt.person+"/protection", url.Values{"contacts": {"+964 780 000 0000"},
		"whereabouts": {"Erbil"}, "relocation": {"requested"}, "notes": {"Weekly calls"}})
	pt.post(pt.cc, "/sources/"+pt.src+"/identity", url.Values{"name": {"A witness"}, "contacts": {"Signal"}})
	pt.atRiskRecords()

	for _, pt.lang = range locale.CompleteCodes() {
		for _, u := range []*model.User{admin, coord, pt.prot, doc, pt.analyst} {
			fresh, err := h.st.GetUser(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			fresh.Lang = pt.lang
			if err := h.st.UpdateUser(ctx, "test", fresh); err != nil {
				t.Fatal(err)
			}
		}
		pt.pages()
		pt.forms()
		pt.sheets()
		pt.signingIn()
	}
	pt.wiped()
	return pt.out
}

// pages draws every page, as someone who sees it.
// atRiskRecords makes, as the protection officer (a member), one record of
// each kind of people at risk, and lists their pages.
func (pt *pageTour) atRiskRecords() {
	made := func(path string, form url.Values) string {
		form.Set("csrf", pt.pc.csrf())
		resp, body := pt.pc.post(path, form)
		if resp.StatusCode != http.StatusSeeOther {
			pt.t.Fatalf("POST %s: %d %s", path, resp.StatusCode, body)
		}
		return resp.Header.Get("Location")
	}
	c := made("/cases", url.Values{"person": {pt.person}, "risk_level": {"high"}, "status": {"open"},
		"opened_on": {"2026-01-05"}, "checkin_every": {"7"}, "notes": {"Weekly calls"}})
	id := strings.TrimPrefix(c, "/cases/")
	l := made("/hitlists", url.Values{"name": {"Memo"}, "appeared_on": {"2019-10-20"}, "issuer": {"A command"}})
	pt.atRisk = []string{"/atrisk", c, c + "/edit", c + "/history", l,
		made("/threats", url.Values{"occurred_on": {"2020-01-02"}, "delivery": {"phone_call"}, "severity": {"death"},
			"persons": {pt.person}, "said": {"Leave the square"}}),
		made("/hitlist-entries", url.Values{"list_id": {strings.TrimPrefix(l, "/hitlists/")}, "name_written": {"Z. M."},
			"person": {pt.person}}),
		made("/assessments", url.Values{"case_id": {id}, "assessed_on": {"2026-01-06"}, "risk_level": {"critical"}}),
		made("/measures", url.Values{"case_id": {id}, "measure": {"legal_aid"}, "status": {"done"}}),
		made("/moves", url.Values{"case_id": {id}, "moved_on": {"2026-01-08"}, "city": {"Erbil"}}),
		made("/cases/"+id+"/checkin", url.Values{"checked_on": {"2026-01-09"}, "result": {"safe"}}),
		"/threats", "/hitlists", "/hitlist-entries", "/cases", "/assessments", "/measures", "/moves", "/checkins",
		"/cases/new", "/threats/new", "/checkins/no-such-id", "/atrisk/figures"}
}

func (pt *pageTour) pages() {
	inc, person, org := "/incidents/"+pt.inc, "/persons/"+pt.person, "/organisations/"+pt.org
	for _, path := range []string{"/", "/search?q=amjad", "/dashboard", "/dashboard?last=all&by=type",
		"/dashboard?since=someday", "/dashboard/receipt?last=all&by=type&group=killing", "/dashboard/receipt?group=x",
		"/incidents", "/incidents?q=nasiriyah&type=killing&from=2019", "/incidents/new", inc, inc + "/edit",
		inc + "/history", "/persons", "/persons?q=zainab", "/persons/new", person, person + "/edit", person + "/history",
		person + "/protection", "/organisations", "/organisations?q=monitoring", "/organisations/new", org,
		org + "/edit", org + "/history", "/evidence/" + pt.ev, "/sources/" + pt.src + "/identity",
		"/admin/compartments", "/account/password", "/account/tokens", "/incidents/no-such-id", "/no-such-page",
		"/duplicates", inc + "/duplicates", inc + "/duplicates?with=" + pt.dup} {
		pt.get(pt.cc, path)
	}
	for _, p := range []string{"/commitments/" + pt.commitment, "/committees/" + pt.committee, "/judicial-steps/" + pt.step} {
		for _, path := range []string{p, p + "/edit", p + "/history"} {
			pt.get(pt.cc, path)
		}
	}
	for _, path := range []string{"/commitments", "/commitments/new", "/committees", "/committees/new", "/judicial-steps",
		"/judicial-steps/new"} {
		pt.get(pt.cc, path)
	}
	for _, path := range []string{"/", inc, person, "/dashboard"} {
		pt.get(pt.dc, path)
		pt.get(pt.anc, path)
		pt.get(pt.pc, path)
	}
	for _, path := range []string{"/admin/users", "/admin/panic", "/admin/compartments", inc} {
		pt.get(pt.ac, path)
	}
	pt.get(pt.anc, person+"/protection") // forbidden: the error page
	for _, path := range pt.atRisk {
		pt.get(pt.pc, path)
	}
	pt.get(pt.dc, "/atrisk") // a non-member: as missing
	pt.post(pt.pc, pt.atRisk[1]+"/checkin", url.Values{"csrf": {pt.pc.csrf()}, "checked_on": {"2999-01-01"}, "result": {"safe"}})
	long := make([]string, store.MaxQueryTerms+1)
	for i := range long {
		long[i] = fmt.Sprintf("word%d", i)
	}
	pt.get(pt.cc, "/search?q="+url.QueryEscape(strings.Join(long, " "))) // the error page with the limits
}

// sheets goes through the spreadsheet wizard as the coordinator: a file
// refused, the mapping step, a dry run with problems, one without, a
// mapping saved, the import, the mapping deleted.
func (pt *pageTour) sheets() {
	pt.get(pt.cc, "/import")
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", pt.cc.csrf())
	w, _ := mw.CreateFormFile("file", "fake.xlsx")
	w.Write([]byte("PK not a zip"))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, pt.h.ts.URL+"/import", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, body := pt.cc.do(req)
	pt.keep("POST /import fake.xlsx", resp, body)
	page := uploadSheet(pt.t, pt.cc, "partner-x.xlsx", partnerXLSX(pt.t), "")
	pt.get(pt.cc, page)
	form := url.Values{"system": {"partner-x"}, "field.0": {"external.id"}, "field.1": {"date.start"}, "field.2": {"type"},
		"field.3": {"place.admin1"}, "field.4": {"fatalities"}, "field.5": {"summary_en"}, "action": {"check"}}
	pt.post(pt.cc, page, form)
	form.Set("field.4", "victims")
	pt.post(pt.cc, page, form)
	form.Set("field.4", "fatalities")
	for k, v := range map[string]string{"word.2.0": "Assassination", "code.2.0": "killing", "word.2.1": "Abduction",
		"code.2.1": "kidnapping", "action": "save", "save_as": "Partner X"} {
		form.Set(k, v)
	}
	pt.post(pt.cc, page, form)
	pt.get(pt.cc, "/import")
	form.Set("action", "import")
	pt.post(pt.cc, page, form)
	pt.post(pt.cc, "/import/mappings/delete", url.Values{"name": {"Partner X"}})
	pt.get(pt.cc, "/import?deleted=1")
}

// forms posts forms with mistakes, so that their messages are drawn.
func (pt *pageTour) forms() {
	pt.post(pt.dc, "/commitments", url.Values{"made_on": {"2020-01-12"}, "deadline_date": {"2020-01-01"},
		"status_history": {"2020-02-01 overdue"}, "visibility": {"internal"}})
	pt.post(pt.dc, "/commitments", url.Values{"made_on": {"2020-01-12"}, "deadline_duration": {"0m"}, "visibility": {"internal"}})
	pt.post(pt.dc, "/committees", url.Values{"formed_on": {"2020-01-12"}, "reported_on": {"2020-01-01"}, "visibility": {"internal"}})
	pt.post(pt.dc, "/judicial-steps", url.Values{"incident": {pt.inc}, "step": {"verdict_convicted"}, "date": {"2020-03-01"},
		"who": {"the gunman"}, "role": {"perpetrator"}, "visibility": {"internal"}})
	inc := "/incidents/" + pt.inc
	pt.post(pt.cc, inc+"/duplicates", url.Values{"csrf": {pt.cc.csrf()}, "decision": {"merge"}, "with": {pt.inc}})
	pt.post(pt.dc, "/incidents", url.Values{"type": {"murder"}, "date_start": {"2019-13-45"}, "date_end": {"2019"},
		"precision": {"fortnight"}, "admin1": {"Atlantis"}, "lat": {"north"}, "lon": {"200"}, "fatalities": {"-1"},
		"verification": {"verified"}, "visibility": {"secret"}, "locality": {"x\u202ey"}, "perp.0.type": {"aliens"},
		"vic.0.outcome": {"vanished"}, "vic.0.name_ar": {""}, "vic.0.birth_year": {"93"}, "action": {"save"}})
	pt.post(pt.dc, "/incidents", url.Values{"action": {"find"}, "find": {"zainab"}})
	pt.post(pt.dc, inc+"/information", url.Values{"source_type": {"oracle"}, "credibility": {"9"},
		"obtained_on": {"2999-01-01"}, "label": {strings.Repeat("x", 301)}})
	pt.post(pt.cc, inc, url.Values{"type": {"killing"}, "version": {"1"}, "action": {"save"}}) // a conflict
	pt.post(pt.dc, "/persons", url.Values{"name_ar": {""}, "birth_year": {"1850"}, "gender": {"x"}, "visibility": {"secret"},
		"roles": {"poet"}})
	pt.post(pt.dc, "/organisations", url.Values{"name_en": {"x\u202e"}, "kind": {"x"}, "status": {"y"}, "visibility": {""}})
	pt.post(pt.pc, "/persons/"+pt.person+"/protection", url.Values{"notes": {strings.Repeat("x", 4001)}})
	pt.post(pt.cc, "/sources/"+pt.src+"/identity", url.Values{"name": {"x\u202e"}})
	pt.post(pt.cc, "/account/password", url.Values{"current": {"wrong"}, "new": {"short"}, "again": {"other"}})
	pt.post(pt.ac, "/admin/panic", url.Values{"password": {"wrong password"}, "phrase": {"no"}})
	pt.post(pt.cc, "/admin/compartments/revoke", url.Values{"compartment": {model.CompartmentProtection}, "user": {pt.prot.ID}})
	pt.post(pt.cc, "/admin/compartments/grant", url.Values{"compartment": {model.CompartmentProtection}, "user": {pt.analyst.ID}})
	// New from a report: the form, a refused report, a review with every
	// kind of proposal, a refused draft.
	pt.get(pt.dc, "/incidents/from-report")
	pt.post(pt.dc, "/incidents/from-report", url.Values{"text": {" "}})
	pt.post(pt.dc, "/incidents/from-report", url.Values{"text": {fromReportText + " Five days later her friend Karim Jawad fled to Istanbul after death threats." +
		" A memo named a list of nine activists. The governor promised results within three months and formed an investigative committee."}})
	pt.post(pt.dc, "/incidents/from-report/accept", url.Values{"type": {"murder"}, "reliability": {"Z"}, "victim_name": {"Ali"},
		"victim_keep": {"0"}, "sentence": {"x"}, "sentence_keep": {"0"}})
}

// signingIn draws the sign-in forms, their mistakes, enrolment and the
// recovery codes.
func (pt *pageTour) signingIn() {
	t, h, ctx := pt.t, pt.h, context.Background()
	anon := pt.inLang(pt.lang)
	pt.get(anon, "/login")
	pt.post(anon, "/login", url.Values{"username": {"nobody"}, "password": {"wrong"}})
	pt.post(anon, "/login", url.Values{"username": {pt.analyst.Username}, "password": {testPassword}})
	anon.sess, _ = h.st.GetSession(ctx, hashToken(sessionToken(anon)))
	pt.get(anon, "/login/totp")
	pt.post(anon, "/login/totp", url.Values{"code": {"000000"}})
	newcomer := &model.User{Username: pt.lang + "new", Role: model.RoleDocumenter, Lang: pt.lang,
		PasswordHash: h.userByName(pt.analyst.Username).PasswordHash}
	if err := h.st.CreateUser(ctx, "test", newcomer); err != nil {
		t.Fatal(err)
	}
	nc := pt.inLang(pt.lang)
	nc.get("/login")
	pt.post(nc, "/login", url.Values{"username": {newcomer.Username}, "password": {testPassword}})
	nc.sess, _ = h.st.GetSession(ctx, hashToken(sessionToken(nc)))
	resp, body := nc.get("/enrol")
	pt.keep("GET /enrol", resp, body)
	pt.post(nc, "/enrol", url.Values{"code": {"000000"}})
	i := strings.Index(body, `<code id="secret">`)
	if i < 0 {
		t.Fatal("no secret on the enrolment page")
	}
	secret := strings.ReplaceAll(body[i+len(`<code id="secret">`):i+strings.Index(body[i:], "</code>")], " ", "")
	c, _ := totp.GenerateCode(secret, h.now)
	pt.post(nc, "/enrol", url.Values{"code": {c}})
}

// wiped draws the page of a wiped instance, last: the server serves
// nothing else afterwards.
func (pt *pageTour) wiped() {
	pt.h.srv.wiped.Store(true)
	for _, pt.lang = range locale.CompleteCodes() {
		pt.get(pt.inLang(pt.lang), "/")
	}
}

// inLang is a browser without a session that asks for lang.
func (pt *pageTour) inLang(lang string) *client {
	c := pt.h.anonymous()
	base, _ := url.Parse(pt.h.ts.URL)
	c.http.Jar.SetCookies(base, []*http.Cookie{{Name: "lang", Value: lang, Path: "/"}})
	return c
}
