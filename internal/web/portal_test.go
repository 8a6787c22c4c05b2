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

// TestPortalRoute: the public site is served at / to anyone, with the
// security headers, files only, and a 503 until it is ready; the
// signed-in interface starts at /app and keeps its other paths.
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
	if resp, _ := get("/"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("before the site is ready: %d", resp.StatusCode)
	}
	site.Store(&fstest.MapFS{
		"index.html":         {Data: []byte("<!doctype html>root")},
		"portal.css":         {Data: []byte("body{}")},
		"en/index.html":      {Data: []byte("<!doctype html>en")},
		"en/feed.atom":       {Data: []byte("<feed/>")},
		"en/incidents/x.txt": {Data: []byte("x")},
		"data/x.csv":         {Data: []byte("a,b")},
		"login":              {Data: []byte("a portal file must not shadow the application")},
	})
	for p, want := range map[string]string{"/": "root", "/index.html": "root", "/en/": "en",
		"/portal.css": "body{}", "/en/feed.atom": "<feed/>", "/data/x.csv": "a,b"} {
		resp, body := get(p)
		if resp.StatusCode != 200 || body != want && !strings.Contains(body, want) {
			t.Errorf("%s: %d %q", p, resp.StatusCode, body)
		}
		if resp.Header.Get("Content-Security-Policy") != csp || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: security headers missing", p)
		}
	}
	if resp, _ := get("/en/feed.atom"); !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
		t.Errorf("feed type %q", resp.Header.Get("Content-Type"))
	}
	for _, p := range []string{"/en/incidents/", "/missing.html", "/en/../../keys", "/en/missing.html", "/public/index.html"} {
		if resp, body := get(p); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "x.txt") {
			t.Errorf("%s: %d (a directory must not be listed)", p, resp.StatusCode)
		}
	}
	for _, p := range []string{"/app", "/dashboard", "/incidents"} {
		if resp, _ := get(p); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
			t.Errorf("%s is the signed-in interface: %d %s", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if resp, body := get("/login"); resp.StatusCode != 200 || !strings.Contains(body, `name="password"`) {
		t.Errorf("/login is the sign-in page: %d", resp.StatusCode)
	}
}
