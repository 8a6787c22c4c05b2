package cli

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func demoData(t *testing.T, n string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	t.Setenv("RASD_PASSPHRASE", "a test passphrase")
	if code, _, stderr := run(t, "demo", "--data", dir, "--incidents", n, "--no-serve"); code != 0 {
		t.Fatalf("demo: %d %s", code, stderr)
	}
	return dir
}

func TestPublish(t *testing.T) {
	data := demoData(t, "120")
	parent := t.TempDir()
	out := filepath.Join(parent, "site")
	code, stdout, stderr := run(t, "publish", "--data", data, "--out", out, "--base-url", "https://example.org/rasd/")
	if code != 0 || !strings.Contains(stdout, "public incidents, one page each in Arabic and English") || !strings.Contains(stdout, "Atom feeds") {
		t.Fatalf("publish: %d\n%s%s", code, stdout, stderr)
	}
	n := regexp.MustCompile(`(\d+) public incidents`).FindStringSubmatch(stdout)
	pages, _ := filepath.Glob(filepath.Join(out, "en", "incidents", "IQ-*.html"))
	if n == nil || n[1] == "0" || n[1] != itoa(len(pages)) {
		t.Errorf("reported %v incidents, wrote %d pages", n, len(pages))
	}
	feed, _ := os.ReadFile(filepath.Join(out, "en", "feed.atom"))
	if !strings.Contains(string(feed), `href="https://example.org/rasd/en/incidents/IQ-`) {
		t.Error("feed links are not absolute under the base URL")
	}
	// Not over a site without --force; with it, the site is replaced whole.
	os.WriteFile(filepath.Join(out, "stale.html"), []byte("old"), 0o644)
	if code, _, stderr := run(t, "publish", "--data", data, "--out", out); code != 2 || !strings.Contains(stderr, "--force") {
		t.Errorf("over a site without --force: %d %s", code, stderr)
	}
	if code, _, stderr := run(t, "publish", "--data", data, "--out", out, "--force"); code != 0 {
		t.Fatalf("--force: %d %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "stale.html")); err == nil {
		t.Error("--force kept a file of the old site")
	}
	if _, err := os.Stat(filepath.Join(out, "en", "feed.atom")); err == nil {
		t.Error("a feed without --base-url")
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("left beside the site: %v", entries)
	}
	// --force never replaces a directory that is not a published site.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	if code, _, stderr := run(t, "publish", "--data", data, "--out", other, "--force"); code != 2 || !strings.Contains(stderr, "not replacing") {
		t.Errorf("--force on another directory: %d %s", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(other, "notes.txt")); string(b) != "mine" {
		t.Error("--force harmed a directory it did not write")
	}
	if code, _, _ := run(t, "publish", "--data", data); code != 2 {
		t.Error("publish without --out")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// lockedBuffer is a writer two goroutines may share.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestServePortal: serve --portal answers the public site at /, in the
// digits asked for, and removes its temporary files when it stops.
func TestServePortal(t *testing.T) {
	data := demoData(t, "40")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, cancel := context.WithCancel(context.Background())
	var stdout lockedBuffer
	errc := make(chan error, 1)
	go func() {
		errc <- runServe(ctx, IO{Stdin: os.Stdin, Stdout: &stdout, Stderr: io.Discard},
			[]string{"--data", data, "--addr", "127.0.0.1:0", "--portal", "--digits", "arab"})
	}()
	addrRE := regexp.MustCompile(`serving (http://[^/]+)/`)
	var body string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && body == ""; time.Sleep(50 * time.Millisecond) {
		m := addrRE.FindStringSubmatch(stdout.String())
		if m == nil {
			continue
		}
		resp, err := http.Get(m[1] + "/ar/index.html")
		if err == nil && resp.StatusCode == 200 {
			b, _ := io.ReadAll(resp.Body)
			body = string(b)
		}
		if err == nil {
			resp.Body.Close()
		}
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, `href="../portal.css"`) || !strings.Contains(body, "fig-all") || !strings.ContainsRune(body, '٠') {
		t.Errorf("portal home not served:\n%.300s", body)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("left in the temporary directory: %v", entries)
	}
}
