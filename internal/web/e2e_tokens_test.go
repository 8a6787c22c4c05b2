package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/model"
)

// TestE2ETokens: in a real browser with JavaScript off, in Arabic and in
// English, an analyst makes a read-write API token on their tokens page,
// sees its secret once (the API answers it), no more on the next view
// of the page, and revokes it (the API then refuses it: 401).
func TestE2ETokens(t *testing.T) {
	b := newE2EBrowser(t)
	h := newE2EHarness(t)
	api := func(secret string) int {
		req, _ := http.NewRequest(http.MethodGet, h.ts.URL+"/api/v1/incidents", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, lang := range []string{"ar", "en"} {
		t.Run(lang, func(t *testing.T) {
			u := e2eUser(h, "e2e-tokens-"+lang, model.RoleAnalyst, lang)
			tb := b.tab(t, h.ts.URL, lang, false)
			tb.signIn(h, u)
			tb.click(`a[href="/account/tokens"]`)
			tb.heading("tokens.title")
			if n := tb.count("#secret"); n != 0 {
				t.Fatalf("a secret before any token was made")
			}
			tb.typeIn("#name", "dashboard script "+lang)
			tb.do(chromedp.Click(chromedp.CSS(`input[name=scope][value=read-write]`)))
			tb.typeIn("#days", "30")
			tb.clickTo(`form[action="/account/tokens"] button[type=submit]`, http.StatusCreated)
			secret := tb.run(chromedp.Value(chromedp.CSS("#secret")))
			if len(secret) < 20 {
				t.Fatalf("the new token's secret is %q", secret)
			}
			if got := tb.text("main table tbody"); !strings.Contains(got, "dashboard script "+lang) ||
				!strings.Contains(got, i18n.T(lang, "tokens.scope.read-write")) {
				t.Errorf("the list lacks the new token: %s", got)
			}
			tb.docShot("tokens-created")
			if got := api(secret); got != http.StatusOK {
				t.Errorf("the API answers the new token %d, want 200", got)
			}
			// Seen once: the next view of the page does not hold it.
			tb.open("/account/tokens")
			if tb.count("#secret") != 0 || strings.Contains(tb.html("html"), secret) {
				t.Error("the secret is shown again")
			}
			tb.click(`form[action$="/revoke"] button[type=submit]`)
			if p := tb.path(); p != "/account/tokens?revoked=1" {
				t.Errorf("after revoking: at %s", p)
			}
			if got := tb.text("main"); !strings.Contains(got, i18n.T(lang, "tokens.revoked")) ||
				!strings.Contains(got, i18n.T(lang, "tokens.state.revoked")) || tb.count(`form[action$="/revoke"]`) != 0 {
				t.Errorf("the page does not show the token revoked: %s", got)
			}
			tb.docShot("tokens-revoked")
			if got := api(secret); got != http.StatusUnauthorized {
				t.Errorf("the API answers a revoked token %d, want 401", got)
			}
		})
	}
}
