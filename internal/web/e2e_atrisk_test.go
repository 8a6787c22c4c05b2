package web

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestE2EAtRisk, in a real browser with JavaScript off, in Arabic and
// English: a member's board, a case, a quick check-in on a 390-pixel
// phone, a hit list with outcomes, the figures, and the same person as a
// non-member sees them (no trace). Screenshots: LANG-atrisk-*.png.
func TestE2EAtRisk(t *testing.T) {
	b := newE2EBrowser(t)
	h := newE2EHarness(t)
	var first *model.User
	for _, lang := range []string{"ar", "en"} {
		t.Run(lang, func(t *testing.T) {
			member := e2eUser(h, "e2e-member-"+lang, model.RoleCoordinator, lang)
			other := e2eUser(h, "e2e-other-"+lang, model.RoleCoordinator, lang)
			c := h.anonymous()
			signIn(t, h, c, member.Username) // makes its key pair
			if first == nil {
				grant(t, h, member, model.CompartmentProtection)
				first = member
			} else {
				fresh, _ := h.st.GetUser(context.Background(), member.ID)
				by := storetest.Identity(t, context.Background(), h.st, first, testPassword)
				if err := keys.Grant(context.Background(), h.st, first.Username, by, model.CompartmentProtection, fresh); err != nil {
					t.Fatal(err)
				}
			}
			h.now = h.now.Add(31 * time.Second) // a new TOTP step for the browser's sign-in
			person, caseID, list := e2eAtRiskRecords(t, h, c)

			tb := b.tab(t, h.ts.URL, lang, false)
			tb.signIn(h, member)
			tb.open("/atrisk")
			tb.heading("atrisk.title")
			if n := tb.count("#board tr.state-overdue"); n != 1 {
				t.Errorf("%d overdue cases on the board", n)
			}
			tb.shot("atrisk-board")
			tb.open("/cases/" + caseID)
			tb.shot("atrisk-case")
			// The quick check-in on a phone.
			tb.do(chromedp.EmulateViewport(390, 844))
			tb.open("/cases/" + caseID)
			tb.do(chromedp.Click(chromedp.CSS(`#quick-checkin input[name=result][value=safe]`)))
			tb.typeIn("#qc-note", "OK")
			phone(tb, "atrisk-checkin-390")
			tb.click(`#quick-checkin button[type=submit]`)
			if p := tb.path(); p != "/cases/"+caseID {
				t.Errorf("after the check-in: at %s", p)
			}
			if n := tb.count("#board"); n != 0 {
				t.Error("the case page shows the board")
			}
			tb.do(chromedp.EmulateViewport(e2eWidth, e2eHeight))
			tb.open(list)
			if n := tb.count("#entries tbody tr"); n != 3 {
				t.Errorf("%d names on the list", n)
			}
			tb.shot("atrisk-hitlist")
			// The figures, reached from the board: small counts suppressed.
			tb.open("/atrisk")
			tb.click(`a[href="/atrisk/figures"]`)
			tb.heading("atriskfig.title")
			if n := tb.count("#fig-threats, #fig-named, #fig-moved, #fig-receipt"); n != 4 {
				t.Errorf("the figures page has %d of its 4 parts", n)
			}
			tb.shot("atrisk-figures")
			tb.open("/persons/" + person)
			tb.shot("atrisk-person-member")

			h.now = h.now.Add(31 * time.Second)
			ob := b.tab(t, h.ts.URL, lang, false)
			ob.signIn(h, other)
			ob.open("/persons/" + person)
			if n := ob.count("#at-risk"); n != 0 {
				t.Error("a non-member sees the person's at-risk section")
			}
			ob.shot("atrisk-person-nonmember")
			h.now = h.now.Add(31 * time.Second)
		})
	}
}

// phone is a screenshot of the page at the phone's width, as tall as the
// page.
func phone(tb *e2eTab, name string) {
	tb.t.Helper()
	height, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int64](`Math.ceil(document.documentElement.scrollHeight)`))
	if err != nil {
		tb.t.Fatal(err)
	}
	// The form fits the phone's width (the shared header's search box is
	// the layout's, not this form's).
	if w, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[float64](`document.querySelector("#quick-checkin").getBoundingClientRect().right`)); w > 390 || w < 200 {
		tb.t.Errorf("%s: the check-in form ends at %.0f pixels on a 390-pixel phone", name, w)
	}
	tb.do(chromedp.EmulateViewport(390, max(height, 844)))
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	tb.do(chromedp.EmulateViewport(390, 844))
	if err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tb.b.shots, tb.lang+"-"+name+".png"), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// e2eAtRiskRecords makes, as member c, a person with an overdue case, a
// threat and a three-name list (threatened again, relocated, unknown).
func e2eAtRiskRecords(t *testing.T, h *harness, c *client) (person, caseID, list string) {
	made := func(path string, form url.Values) string {
		form.Set("csrf", c.csrf())
		resp, body := c.post(path, form)
		if resp.StatusCode != 303 {
			t.Fatalf("POST %s: %d %s", path, resp.StatusCode, body)
		}
		return resp.Header.Get("Location")
	}
	ctx := context.Background()
	var ids []string
	for _, name := range []string{"Fictional Zainab", "Fictional Karim", "Fictional Huda"} {
		p := &model.Person{NameLatin: name, Visibility: model.VisibilityInternal}
		if err := h.st.Persons().Create(ctx, "doc", p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	day := func(ago int) string { return h.now.UTC().AddDate(0, 0, -ago).Format(time.DateOnly) }
	c1 := made("/cases", url.Values{"person": {ids[0]}, "risk_level": {"critical"}, "status": {"open"},
		"opened_on": {day(60)}, "checkin_every": {"7"}, "notes": {"Fictional notes"}})
	c2 := made("/cases", url.Values{"person": {ids[1]}, "risk_level": {"high"}, "status": {"open"},
		"opened_on": {day(3)}, "checkin_every": {"14"}})
	made("/moves", url.Values{"case_id": {strings.TrimPrefix(c2, "/cases/")}, "moved_on": {day(2)}, "city": {"Fictional city"},
		"country": {"TR"}})
	made("/threats", url.Values{"occurred_on": {day(20)}, "delivery": {"phone_call"}, "severity": {"death"},
		"persons": {ids[0]}, "said": {"Fictional words"}})
	l := made("/hitlists", url.Values{"name": {"Fictional memo"}, "appeared_on": {day(40)}})
	for i, p := range ids {
		made("/hitlist-entries", url.Values{"list_id": {strings.TrimPrefix(l, "/hitlists/")},
			"name_written": {"Fictional name " + string(rune('A'+i))}, "person": {p}})
	}
	return ids[0], strings.TrimPrefix(c1, "/cases/"), l
}
