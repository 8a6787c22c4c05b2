package web

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/extract"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

const fromReportText = `BASRA, 20 August 2020 - Unidentified gunmen shot dead the activist Rihab Salman in central Basra yesterday, police sources said.
According to the Al-Amal Association, at least 44 kidnappings were recorded last year.`

// acceptForm is the review page's first draft form, as a browser would
// post it.
func acceptForm(t *testing.T, page string) url.Values {
	t.Helper()
	i := strings.Index(page, `action="/incidents/from-report/accept"`)
	if i < 0 {
		t.Fatalf("no draft form on the review page")
	}
	form := page[i:]
	form = form[:strings.Index(form, "</form>")]
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input([^>]*)>`).FindAllStringSubmatch(form, -1) {
		name := regexp.MustCompile(`name="([^"]*)"`).FindStringSubmatch(m[1])
		val := regexp.MustCompile(`value="([^"]*)"`).FindStringSubmatch(m[1])
		if name == nil || name[1] == "csrf" {
			continue
		}
		if (strings.Contains(m[1], `type="checkbox"`) || strings.Contains(m[1], `type="radio"`)) && !strings.Contains(m[1], "checked") {
			continue
		}
		x := ""
		if val != nil {
			x = html.UnescapeString(val[1])
		}
		v.Add(name[1], x)
	}
	for _, m := range regexp.MustCompile(`(?s)<select name="([^"]*)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(form, -1) {
		if sel := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); sel != nil {
			v.Add(m[1], sel[1])
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea name="([^"]*)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(form, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	return v
}

func TestFromReportReviewAndAccept(t *testing.T) {
	h := newHarness(t)
	doc := h.user("doc", model.RoleDocumenter)
	c := h.as(doc)
	if resp, body := c.get("/incidents/from-report"); resp.StatusCode != 200 || !strings.Contains(body, `enctype="multipart/form-data"`) {
		t.Fatalf("form: %d", resp.StatusCode)
	}
	resp, page := c.post("/incidents/from-report", url.Values{"text": {fromReportText}})
	if resp.StatusCode != 200 {
		t.Fatalf("review: %d %s", resp.StatusCode, page)
	}
	if n := strings.Count(page, "<mark>"); n != 2 {
		t.Errorf("%d sentences highlighted, want 2", n)
	}
	if !strings.Contains(page, "Al-Amal Association") || !strings.Contains(page, `<option value="IQ-BA" selected>`) {
		t.Errorf("the review lacks the claim's source or the governorate")
	}
	if n := storedIncidents(t, h); n != 0 {
		t.Fatalf("%d incidents stored by reading a report", n)
	}
	form := acceptForm(t, page)
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("type", "shooting")
	bad.Set("reliability", "Z")
	resp, body := c.post("/incidents/from-report/accept", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "field-error") {
		t.Fatalf("a bad draft: %d", resp.StatusCode)
	}
	if n := storedIncidents(t, h); n != 0 {
		t.Fatalf("%d incidents stored by a refused draft", n)
	}
	resp, _ = c.post("/incidents/from-report/accept", form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/incidents/") {
		t.Fatalf("accept: %d → %q", resp.StatusCode, loc)
	}
	resp, body = c.get(loc)
	if resp.StatusCode != 200 || !strings.Contains(body, "Rihab Salman") || !strings.Contains(body, "shot dead the activist") {
		t.Fatalf("the new incident's page: %d", resp.StatusCode)
	}
	if n := storedIncidents(t, h); n != 1 {
		t.Fatalf("%d incidents after accepting one draft", n)
	}
	// The admin records no cases: neither the page nor the write.
	admin := h.as(h.user("adm", model.RoleAdmin))
	if resp, _ := admin.post("/incidents/from-report/accept", form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("admin accept: %d", resp.StatusCode)
	}
}

func storedIncidents(t *testing.T, h *harness) int {
	t.Helper()
	all := store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}
	_, n, err := h.st.ListIncidents(context.Background(), store.IncidentFilter{Visible: all, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFromReportBadInput(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("doc", model.RoleDocumenter))
	send := func(file string, data []byte, csrf string) (*http.Response, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		if csrf != "-" {
			mw.WriteField("csrf", csrf)
		}
		mw.WriteField("text", "")
		w, _ := mw.CreateFormFile("file", file)
		w.Write(data)
		mw.WriteField("published", "")
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, h.ts.URL+"/incidents/from-report", &b)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return c.do(req)
	}
	for _, tc := range []struct {
		name, file string
		data       []byte
		csrf       string
		code       int
		says       string
	}{
		{"binary", "a.txt", []byte("\x89PNG\r\n\x1a\n\x00\x00"), c.csrf(), 422, "not UTF-8"},
		{"empty", "a.txt", []byte("   "), c.csrf(), 422, "empty"},
		{"scripts only", "a.html", []byte("<script>alert(1)</script><style>p{}</style>"), c.csrf(), 422, "empty"},
		{"too large", "a.txt", bytes.Repeat([]byte("a"), extract.MaxBytes+1), c.csrf(), 413, "5 MB"},
		{"other type", "a.pdf", []byte("%PDF-1.4"), c.csrf(), 415, ".txt or .html"},
		{"no token", "a.txt", []byte("Activist shot dead."), "-", 403, ""},
		{"bad token", "a.txt", []byte("Activist shot dead."), "x", 403, ""},
	} {
		resp, body := send(tc.file, tc.data, tc.csrf)
		if resp.StatusCode != tc.code || !strings.Contains(body, tc.says) {
			t.Errorf("%s: %d, want %d saying %q", tc.name, resp.StatusCode, tc.code, tc.says)
		}
	}
	resp, body := c.post("/incidents/from-report", url.Values{"text": {"Activist shot dead in Basra."}, "published": {"2999-01-01"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "future") {
		t.Errorf("future publication date: %d", resp.StatusCode)
	}
	// An uploaded HTML page: its scripts are dropped, its text read.
	resp, body = send("r.html", []byte("<html><script>document.write('kidnapped')</script><p>"+fromReportText+"</p></html>"), c.csrf())
	if resp.StatusCode != 200 || strings.Contains(body, "document.write") || !strings.Contains(body, "Rihab Salman") {
		t.Errorf("html upload: %d", resp.StatusCode)
	}
}
