package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// rawGet fetches path as c with the Accept-Encoding given, the body as
// sent (not decompressed).
func rawGet(t *testing.T, c *client, path, accept string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.h.ts.URL+path, nil)
	req.Header.Set("Accept-Encoding", accept) // set by hand: the transport then leaves the body alone
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// TestCompression: text is gzipped for a browser that accepts it and not
// for one that does not; every compressible response says it varies by
// Accept-Encoding; the enrolment page, which shows the authenticator key,
// is never compressed.
func TestCompression(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("gz", model.RoleAnalyst))
	for _, path := range []string{"/incidents", "/dashboard", "/static/style.css"} {
		resp, body := rawGet(t, c, path, "br;q=1.0, gzip;q=0.8")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("GET %s accepting gzip: %d, Content-Encoding %q", path, resp.StatusCode, resp.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(strings.NewReader(string(body)))
		if err != nil {
			t.Fatalf("GET %s: not gzip: %v", path, err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || len(plain) <= len(body) {
			t.Errorf("GET %s: %d bytes gzipped to %d (%v)", path, len(plain), len(body), err)
		}
		if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("GET %s: Vary %q lacks Accept-Encoding", path, resp.Header.Get("Vary"))
		}
		for _, accept := range []string{"identity", "gzip;q=0", ""} {
			resp, body := rawGet(t, c, path, accept)
			if resp.Header.Get("Content-Encoding") != "" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") ||
				(path != "/static/style.css" && !strings.Contains(string(body), "</html>")) {
				t.Errorf("GET %s with Accept-Encoding %q: Content-Encoding %q, Vary %q", path, accept,
					resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
			}
		}
	}
	newcomer := &model.User{Username: "gz-new", Role: model.RoleDocumenter, Lang: "en", PasswordHash: "x"}
	if err := h.st.CreateUser(t.Context(), "test", newcomer); err != nil {
		t.Fatal(err)
	}
	resp, body := rawGet(t, h.halfway(newcomer), "/enrol", "gzip")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "" || !strings.Contains(string(body), `id="secret"`) {
		t.Errorf("GET /enrol: %d, Content-Encoding %q: the page with the key must go uncompressed", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
}

var formToken = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// TestCSRFMaskedPerResponse: no two responses carry the same CSRF token
// (so compression cannot reveal it, BREACH), yet each is accepted; a
// token altered, or another session's, is not.
func TestCSRFMaskedPerResponse(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("mask", model.RoleAnalyst))
	var tokens []string
	for range 2 {
		_, body := c.get("/incidents")
		m := formToken.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no CSRF token on the page")
		}
		tokens = append(tokens, m[1])
	}
	if tokens[0] == tokens[1] {
		t.Fatal("two responses carry the same CSRF token")
	}
	for _, tok := range tokens {
		if resp, _ := c.post("/lang", url.Values{"csrf": {tok}, "lang": {"en"}, "back": {"/incidents"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("POST with a page's token: %d, want 303", resp.StatusCode)
		}
	}
	flipped := []byte(tokens[0])
	flipped[len(flipped)-1] ^= 1
	other := h.as(h.user("mask-other", model.RoleAnalyst)).csrf()
	for name, tok := range map[string]string{"altered": string(flipped), "another session's": other, "unmasked": tokens[0][64:]} {
		if resp, _ := c.post("/lang", url.Values{"csrf": {tok}, "lang": {"en"}, "back": {"/incidents"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST with an %s token: %d, want 403", name, resp.StatusCode)
		}
	}
}
