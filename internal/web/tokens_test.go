package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

var shownSecret = regexp.MustCompile(`value="(rasd_[A-Za-z0-9_-]+)"`)

// TestTokenPages: a user makes a token on the web (the secret shown once,
// on that answer only), uses it on the API, and revokes it; forms need
// the CSRF token; another user cannot revoke it; both languages draw the
// page.
func TestTokenPages(t *testing.T) {
	h := newHarness(t)
	u := h.user("dana", model.RoleDocumenter)
	c := h.as(u)
	resp, body := c.post("/account/tokens", url.Values{"name": {"dashboard script"}, "scope": {"read"}, "days": {"30"}})
	m := shownSecret.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusCreated || m == nil {
		t.Fatalf("make a token: %d, secret shown: %v", resp.StatusCode, m != nil)
	}
	secret := m[1]
	if _, again := c.get("/account/tokens"); strings.Contains(again, secret) || !strings.Contains(again, "dashboard script") {
		t.Fatal("the secret is shown again, or the token not listed")
	}
	api := h.anonymous()
	api.bearer = secret
	if resp, _ := api.get("/api/v1/incidents"); resp.StatusCode != http.StatusOK {
		t.Fatalf("the new token on the API: %d", resp.StatusCode)
	}

	// Bad input: the form again, naming the field, and no token made.
	for _, f := range []url.Values{
		{"name": {""}, "scope": {"read"}, "days": {"30"}},
		{"name": {"x"}, "scope": {"admin"}, "days": {"30"}},
		{"name": {"x"}, "scope": {"read"}, "days": {"9999"}},
	} {
		if resp, _ := c.post("/account/tokens", f); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d", f, resp.StatusCode)
		}
	}
	// Without the CSRF token: refused.
	if resp, _ := c.post("/account/tokens", url.Values{"csrf": {"forged"}, "name": {"x"}, "scope": {"read"}, "days": {"3"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("without CSRF: %d", resp.StatusCode)
	}
	ts, _ := h.srv.tokens.List(context.Background(), u)
	if len(ts) != 1 {
		t.Fatalf("%d tokens, want 1", len(ts))
	}

	other := h.as(h.user("omar", model.RoleAnalyst))
	if resp, _ := other.post("/account/tokens/"+ts[0].ID+"/revoke", nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("another user revoking: %d", resp.StatusCode)
	}
	if resp, _ := c.post("/account/tokens/"+ts[0].ID+"/revoke", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if resp, _ := api.get("/api/v1/incidents"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the revoked token on the API: %d", resp.StatusCode)
	}
	for _, lang := range []string{"en", "ar"} {
		u.Lang = lang
		if err := h.st.UpdateUser(context.Background(), "test", u); err != nil {
			t.Fatal(err)
		}
		resp, body := h.as(u).get("/account/tokens?revoked=1")
		want := map[string]string{"en": "Revoked", "ar": "ملغى"}[lang]
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("%s: %d, %q shown: %v", lang, resp.StatusCode, want, strings.Contains(body, want))
		}
	}
}
