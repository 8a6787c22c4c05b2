package web

import (
	"context"
	"crypto/rand"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestPortalRoute: the public site is served under /public/ to anyone,
// with the security headers, files only, and a 503 until it is ready;
// the signed-in interface keeps /.
func TestPortalRoute(t *testing.T) {
	key := make([]byte, 32)
	rand.Read(key)
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName), key, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var site atomic.Pointer[fstest.MapFS]
	srv, err := New(Options{Store: st, SecretKey: key, Logger: discardLogger(), Portal: func() fs.FS {
		if m := site.Load(); m != nil {
			return *m
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(p string) (*http.Response, string) {
		resp, err := client.Get(ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, _ := get("/public/"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("before the site is ready: %d", resp.StatusCode)
	}
	site.Store(&fstest.MapFS{
		"index.html":         {Data: []byte("<!doctype html>root")},
		"portal.css":         {Data: []byte("body{}")},
		"en/index.html":      {Data: []byte("<!doctype html>en")},
		"en/feed.atom":       {Data: []byte("<feed/>")},
		"en/incidents/x.txt": {Data: []byte("x")},
	})
	for p, want := range map[string]string{"/public/": "root", "/public/index.html": "root", "/public/en/": "en",
		"/public/portal.css": "body{}", "/public/en/feed.atom": "<feed/>"} {
		resp, body := get(p)
		if resp.StatusCode != 200 || body != want && !strings.Contains(body, want) {
			t.Errorf("%s: %d %q", p, resp.StatusCode, body)
		}
		if resp.Header.Get("Content-Security-Policy") != csp || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: security headers missing", p)
		}
	}
	if resp, _ := get("/public/en/feed.atom"); !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
		t.Errorf("feed type %q", resp.Header.Get("Content-Type"))
	}
	for _, p := range []string{"/public/en/incidents/", "/public/missing.html", "/public/../keys", "/public/en"} {
		if resp, body := get(p); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "x.txt") {
			t.Errorf("%s: %d (a directory must not be listed)", p, resp.StatusCode)
		}
	}
	if resp, _ := get("/"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("/ is not the signed-in interface any more: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}
