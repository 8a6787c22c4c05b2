package portal_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// reporter is the part of testing.T the checks use, so that a test can
// check the checks.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatal(args ...any)
}

// rawKeyRE finds a message key shown as itself, or a message given the
// wrong arguments ("%!d(MISSING)").
var rawKeyRE = regexp.MustCompile(`\[[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+\]|%!`)

// voidElements have no end tag in HTML.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// checkSite checks every file of a site: HTML is well formed (every
// element closed in order) and its inline SVG is XML; Atom, SVG, JSON,
// GeoJSON and CSV files parse; no file holds a script; every link is
// relative, names a file, and resolves to a file of the site.
func checkSite(t reporter, site map[string]string) {
	t.Helper()
	if len(site) == 0 {
		t.Fatal("empty site")
	}
	for name, body := range site {
		low := strings.ToLower(body)
		if strings.Contains(low, "<script") || strings.Contains(low, "javascript:") {
			t.Errorf("%s: script", name)
		}
		if m := rawKeyRE.FindString(body); m != "" {
			t.Errorf("%s: %s has no translation (i18n.T shows a missing key as [key])", name, m)
		}
		switch path.Ext(name) {
		case ".html":
			checkHTML(t, site, name, body)
		case ".atom", ".svg":
			checkXML(t, name, body)
		case ".json", ".geojson":
			if !json.Valid([]byte(body)) {
				t.Errorf("%s: invalid JSON", name)
			}
		case ".jsonl":
			for i, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
				if line != "" && !json.Valid([]byte(line)) {
					t.Errorf("%s line %d: invalid JSON", name, i+1)
				}
			}
		case ".csv":
			r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
			if _, err := r.ReadAll(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}

func checkXML(t reporter, name, doc string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Errorf("%s: not XML: %v", name, err)
			return
		}
	}
}

var svgRE = regexp.MustCompile(`(?s)<svg[ >].*?</svg>`)

func checkHTML(t reporter, site map[string]string, name, body string) {
	t.Helper()
	if !strings.HasPrefix(body, "<!doctype html>") {
		t.Errorf("%s: no doctype", name)
	}
	for i, svg := range svgRE.FindAllString(body, -1) {
		checkXML(t, name+" svg "+string(rune('0'+i)), svg)
	}
	z := html.NewTokenizer(bytes.NewReader([]byte(body)))
	var stack []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				t.Errorf("%s: %v", name, z.Err())
			}
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken:
			if !voidElements[tok.Data] {
				stack = append(stack, tok.Data)
			}
			checkLinks(t, site, name, tok)
		case html.SelfClosingTagToken:
			checkLinks(t, site, name, tok)
		case html.EndTagToken:
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				t.Errorf("%s: </%s> closes %v", name, tok.Data, stack[max(0, len(stack)-3):])
				return
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		t.Errorf("%s: unclosed %v", name, stack)
	}
	if _, err := html.Parse(strings.NewReader(body)); err != nil {
		t.Errorf("%s: %v", name, err)
	}
}

// checkLinks checks the href and src of one element.
func checkLinks(t reporter, site map[string]string, name string, tok html.Token) {
	t.Helper()
	for _, a := range tok.Attr {
		if a.Key != "href" && a.Key != "src" && a.Key != "xlink:href" {
			continue
		}
		u, err := url.Parse(a.Val)
		switch {
		case err != nil:
			t.Errorf("%s: bad link %q", name, a.Val)
		case u.Scheme == "http" || u.Scheme == "https":
			continue // an outside page, cited
		case u.Scheme != "" || u.Host != "" || strings.HasPrefix(a.Val, "/"):
			t.Errorf("%s: link %q is not relative", name, a.Val)
		case u.Path == "":
			continue // a fragment of the same page
		case strings.HasSuffix(u.Path, "/"):
			t.Errorf("%s: link %q names a directory, not its index.html", name, a.Val)
		default:
			target := path.Join(path.Dir(name), u.Path)
			if _, ok := site[target]; !ok || strings.HasPrefix(target, "../") {
				t.Errorf("%s: link %q: no file %s", name, a.Val, target)
			}
		}
	}
}

// recorder collects what the checks report.
type recorder struct{ errs []string }

func (r *recorder) Helper()                      {}
func (r *recorder) Errorf(f string, args ...any) { r.errs = append(r.errs, fmt.Sprintf(f, args...)) }
func (r *recorder) Fatal(args ...any)            { r.errs = append(r.errs, fmt.Sprint(args...)) }

// TestCheckSiteFails: each fault the checks look for is found.
func TestCheckSiteFails(t *testing.T) {
	good := `<!doctype html><html><body><a href="b.html">b</a></body></html>`
	for name, body := range map[string]string{
		"broken link":     `<!doctype html><html><body><a href="missing.html">x</a></body></html>`,
		"absolute path":   `<!doctype html><html><body><a href="/b.html">x</a></body></html>`,
		"directory link":  `<!doctype html><html><body><a href="./">x</a></body></html>`,
		"outside link":    `<!doctype html><html><body><a href="../../b.html">x</a></body></html>`,
		"script":          `<!doctype html><html><body><script>alert(1)</script></body></html>`,
		"javascript link": `<!doctype html><html><body><a href="javascript:alert(1)">x</a></body></html>`,
		"unclosed":        `<!doctype html><html><body><div><p>x</div></body></html>`,
		"bad svg":         `<!doctype html><html><body><svg viewBox="0 0 1 1"><g></svg></body></html>`,
		"stylesheet":      `<!doctype html><html><head><link rel="stylesheet" href="gone.css"></head><body></body></html>`,
	} {
		var r recorder
		checkSite(&r, map[string]string{"en/a.html": body, "en/b.html": good})
		if len(r.errs) == 0 {
			t.Errorf("%s: not found", name)
		}
	}
	var r recorder
	checkSite(&r, map[string]string{"en/a.html": good, "en/b.html": good, "x.atom": "<feed><entry></feed>"})
	if len(r.errs) != 1 {
		t.Errorf("bad Atom: %v", r.errs)
	}
}
