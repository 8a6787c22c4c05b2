package web

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/model"
)

// TestE2EPanicWipe: an admin finds the panic action from the users page,
// is refused without the phrase, then types password and phrase and gets
// the "wiped" page; every page after that is the wiped page, and the
// keyring is gone. In Arabic, JavaScript off (the reference mode).
func TestE2EPanicWipe(t *testing.T) {
	b := newE2EBrowser(t)
	h := newE2EHarness(t)
	dir, _, calls := panicSetup(t, h)
	admin := e2eUser(h, "e2e-admin", model.RoleAdmin, "ar")
	tb := b.tab(t, h.ts.URL, "ar", false)
	tb.signIn(h, admin)
	tb.open("/admin/users")
	tb.click(`main a[href="/admin/panic"]`)
	tb.heading("panic.title")
	tb.shot("panic")

	submit := func(wantStatus int64) {
		t.Helper()
		resp, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(`form[action="/admin/panic"] button[type=submit]`)))
		if err != nil || resp == nil || resp.Status != wantStatus {
			t.Fatalf("submit: %v %+v, want status %d: %s", err, resp, wantStatus, tb.text("main"))
		}
		tb.checkPage()
	}
	tb.typeIn("#password", testPassword)
	tb.typeIn("#phrase", "امسح") // half the phrase
	submit(422)
	if *calls != 0 || !keyring.Exists(dir) {
		t.Fatal("half the phrase wiped")
	}
	tb.typeIn("#password", testPassword)
	tb.typeIn("#phrase", panicPhrases["ar"])
	submit(410)
	tb.heading("wiped.title")
	tb.shot("wiped")
	if *calls != 1 || keyring.Exists(dir) {
		t.Fatalf("after the panic wipe: %d calls, keyring exists %v", *calls, keyring.Exists(dir))
	}
	resp, err := chromedp.RunResponse(tb.ctx, chromedp.Navigate(h.ts.URL+"/incidents"))
	if err != nil || resp.Status != 410 {
		t.Fatalf("a page after the wipe: %v %+v", err, resp)
	}
	tb.heading("wiped.title")
}
