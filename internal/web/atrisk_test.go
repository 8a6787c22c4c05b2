package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/model"
)

// atRiskFixture: a coordinator who is a member of the protection
// compartment, signed in with their key; a coordinator and a documenter
// who are not; a person.
type atRiskFixture struct {
	h                  *harness
	member, coord, doc *client
	person             string
}

func newAtRiskFixture(t *testing.T) *atRiskFixture { return newAtRiskFixtureWith(t, nil) }

// newAtRiskFixtureWith is newAtRiskFixture with the server's options
// changed by opt first.
func newAtRiskFixtureWith(t *testing.T, opt func(*Options)) *atRiskFixture {
	h := newHarnessWith(t, opt)
	m := h.user("member", model.RoleCoordinator)
	f := &atRiskFixture{h: h, member: h.anonymous()}
	signIn(t, h, f.member, m.Username) // makes its key pair
	grant(t, h, m, model.CompartmentProtection)
	f.coord, f.doc = h.as(h.user("coord", model.RoleCoordinator)), h.as(h.user("doc", model.RoleDocumenter))
	p := &model.Person{NameLatin: "Zainab Example", Visibility: model.VisibilityInternal}
	if err := h.st.Persons().Create(context.Background(), "doc", p); err != nil {
		t.Fatal(err)
	}
	f.person = p.ID
	return f
}

func (f *atRiskFixture) post(t *testing.T, path string, form url.Values) string {
	t.Helper()
	form.Set("csrf", f.member.csrf())
	resp, body := f.member.post(path, form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: %d %s", path, resp.StatusCode, body)
	}
	return resp.Header.Get("Location")
}

// A member sees the board, a case with its timeline and quick check-in,
// a list with its names and outcomes; to anyone else, a coordinator
// included, each of those pages is byte for byte a missing record's, and
// a person's page is the same as before anything was recorded.
func TestAtRiskPages(t *testing.T) {
	f := newAtRiskFixture(t)
	personPage := "/persons/" + f.person
	_, docBefore := f.doc.get(personPage)
	_, coordBefore := f.coord.get(personPage)

	c := f.post(t, "/cases", url.Values{"person": {f.person}, "risk_level": {"high"}, "status": {"open"},
		"opened_on": {"2020-01-05"}, "checkin_every": {"7"}, "notes": {"Hidden note"}})
	l := f.post(t, "/hitlists", url.Values{"name": {"Memo 9"}, "appeared_on": {"2019-10-20"}})
	f.post(t, "/hitlist-entries", url.Values{"list_id": {strings.TrimPrefix(l, "/hitlists/")}, "name_written": {"Z. Ex."},
		"person": {f.person}})
	th := f.post(t, "/threats", url.Values{"occurred_on": {"2020-01-02"}, "delivery": {"phone_call"}, "severity": {"death"},
		"persons": {f.person}, "said": {"Leave the square"}})
	if loc := f.post(t, c+"/checkin", url.Values{"checked_on": {"2020-01-09"}, "result": {"safe"}}); loc != c {
		t.Errorf("the quick check-in goes to %s", loc)
	}
	// A check-in dated in the future: refused, naming the field, nothing stored.
	resp, body := f.member.post(c+"/checkin", url.Values{"csrf": {f.member.csrf()}, "checked_on": {"2999-01-01"}, "result": {"safe"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "checked_on") {
		t.Errorf("a future check-in: %d", resp.StatusCode)
	}

	_, board := f.member.get("/atrisk")
	_, casePage := f.member.get(c)
	_, list := f.member.get(l)
	_, person := f.member.get(personPage)
	for what, want := range map[string][]string{
		"board":  {board, "PC-", "Overdue"},
		"case":   {casePage, "quick-checkin", "Timeline", "Hidden note"},
		"list":   {list, "Z. Ex.", "Threatened again"},
		"person": {person, `id="at-risk"`, "PC-"},
	} {
		for _, s := range want[1:] {
			if !strings.Contains(want[0], s) {
				t.Errorf("the member's %s page lacks %q", what, s)
			}
		}
	}

	missing := "/cases/" + uuid.Must(uuid.NewV7()).String()
	for _, other := range []*client{f.coord, f.doc} {
		mresp, mbody := other.get(missing)
		if mresp.StatusCode != http.StatusNotFound {
			t.Fatalf("a missing case: %d", mresp.StatusCode)
		}
		for _, path := range []string{"/atrisk", c, c + "/history", l, th, "/cases", "/threats"} {
			resp, body := other.get(path)
			// The page names its own path (the language switch comes back to it).
			back := func(p string) string { return `name="back" value="` + p + `"` }
			if resp.StatusCode != mresp.StatusCode || sameCSRF(strings.ReplaceAll(body, back(path), back(missing))) != sameCSRF(mbody) {
				t.Errorf("%s differs from a missing record's page for a non-member (%d)", path, resp.StatusCode)
			}
		}
	}
	if _, after := f.doc.get(personPage); sameCSRF(after) != sameCSRF(docBefore) {
		t.Error("the documenter's view of the person changed")
	}
	if _, after := f.coord.get(personPage); sameCSRF(after) != sameCSRF(coordBefore) {
		t.Error("the coordinator's view of the person changed")
	}
}

// The figures of people at risk: a member reads them in both languages,
// small counts suppressed, with a receipt; to anyone else the page is a
// missing record's, byte for byte.
func TestAtRiskFigures(t *testing.T) {
	f := newAtRiskFixture(t)
	for _, day := range []string{"2020-01-02", "2020-01-09", "2020-01-16"} {
		f.post(t, "/threats", url.Values{"occurred_on": {day}, "delivery": {"phone_call"}, "severity": {"death"},
			"persons": {f.person}, "admin1": {"IQ-BG"}, "said": {"Figurecanary said"}})
	}
	c := f.post(t, "/cases", url.Values{"person": {f.person}, "risk_level": {"high"}, "status": {"open"},
		"opened_on": {"2020-01-05"}, "checkin_every": {"7"}})
	f.post(t, "/moves", url.Values{"case_id": {strings.TrimPrefix(c, "/cases/")}, "moved_on": {"2020-02-01"},
		"city": {"Figurecanarycity"}, "country": {"Turkey"}})
	resp, en := f.member.get("/atrisk/figures")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("figures: %d", resp.StatusCode)
	}
	for _, s := range []string{"At least 3 threats.", "Phone call", "Baghdad", "not shown", `id="fig-receipt"`, "Turkey"} {
		if !strings.Contains(en, s) {
			t.Errorf("the figures lack %q", s)
		}
	}
	for _, s := range []string{"Figurecanary", "Zainab"} {
		if strings.Contains(en, s) {
			t.Errorf("the figures show %q", s)
		}
	}
	f.member.post("/lang", url.Values{"csrf": {f.member.csrf()}, "lang": {"ar"}, "back": {"/atrisk/figures"}})
	if _, ar := f.member.get("/atrisk/figures"); !strings.Contains(ar, "تهديدات على الأقل") || !strings.Contains(ar, "أقل من") {
		t.Error("the Arabic figures lack their sentences")
	}
	missing := "/cases/" + uuid.Must(uuid.NewV7()).String()
	back := func(p string) string { return `name="back" value="` + p + `"` }
	for _, other := range []*client{f.coord, f.doc} {
		mresp, mbody := other.get(missing)
		resp, body := other.get("/atrisk/figures")
		if resp.StatusCode != mresp.StatusCode || sameCSRF(strings.ReplaceAll(body, back("/atrisk/figures"), back(missing))) != sameCSRF(mbody) {
			t.Errorf("the figures differ from a missing record's page for a non-member (%d)", resp.StatusCode)
		}
	}
}

// TestAtRiskServerLog: what the server logs, at its most talkative, while
// a member writes and reads records of people at risk, a refused check-in
// among them, and others are answered "not found", holds none of their
// text (docs/protection.md, "Where the sealed text never appears"); the
// routes it names are the control that the log was caught.
func TestAtRiskServerLog(t *testing.T) {
	var buf bytes.Buffer
	f := newAtRiskFixtureWith(t, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	c := f.post(t, "/cases", url.Values{"person": {f.person}, "risk_level": {"high"}, "status": {"open"},
		"opened_on": {"2020-01-05"}, "checkin_every": {"7"}, "notes": {"Logcanary notes"}})
	l := f.post(t, "/hitlists", url.Values{"name": {"Logcanary list"}, "appeared_on": {"2019-10-20"}})
	f.post(t, "/hitlist-entries", url.Values{"list_id": {strings.TrimPrefix(l, "/hitlists/")}, "name_written": {"Logcanary name"},
		"person": {f.person}})
	th := f.post(t, "/threats", url.Values{"occurred_on": {"2020-01-02"}, "delivery": {"phone_call"}, "severity": {"death"},
		"persons": {f.person}, "said": {"Logcanary said"}})
	f.post(t, "/moves", url.Values{"case_id": {strings.TrimPrefix(c, "/cases/")}, "moved_on": {"2020-02-01"},
		"city": {"Logcanary city"}, "country": {"Logcanary country"}})
	f.post(t, c+"/checkin", url.Values{"checked_on": {"2020-01-09"}, "result": {"safe"}, "note": {"Logcanary check"}})
	f.member.post(c+"/checkin", url.Values{"csrf": {f.member.csrf()}, "checked_on": {"2999-01-01"}, "result": {"safe"},
		"note": {"Logcanary refused"}})
	for _, path := range []string{"/atrisk", "/atrisk/figures", c, l, th, "/persons/" + f.person} {
		f.member.get(path)
		f.coord.get(path)
	}
	log := buf.String()
	if !strings.Contains(log, "GET /cases/{id}") || !strings.Contains(log, "POST /cases/{id}/checkin") {
		t.Fatalf("the server's log was not caught (the control): %q", log)
	}
	for _, canary := range []string{"Logcanary", "Zainab", strings.TrimPrefix(c, "/cases/"), "PC-"} {
		if strings.Contains(log, canary) {
			t.Errorf("the server's log holds %q", canary)
		}
	}
}

// A member whose key the server does not hold (it restarted since they
// signed in) cannot open who is at risk: a person's page asks them to sign
// in again and names none of the person's cases.
func TestPersonAtRiskNeedsKey(t *testing.T) {
	f := newAtRiskFixture(t)
	f.post(t, "/cases", url.Values{"person": {f.person}, "risk_level": {"high"}, "status": {"open"},
		"opened_on": {"2020-01-05"}, "checkin_every": {"7"}})
	personPage := "/persons/" + f.person
	if _, page := f.member.get(personPage); !strings.Contains(page, "PC-") {
		t.Fatal("the member with a key does not see the person's case")
	}
	m, err := f.h.st.GetUserByName(context.Background(), "member")
	if err != nil {
		t.Fatal(err)
	}
	_, page := f.h.as(m).get(personPage) // a session of theirs without a key
	if !strings.Contains(page, `id="at-risk"`) || !strings.Contains(page, "sign in again") || strings.Contains(page, "PC-") {
		t.Errorf("a member without a key: the person's page says %q", page)
	}
}
