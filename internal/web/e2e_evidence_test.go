package web

import (
	"context"
	"crypto/rand"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// TestE2EEvidenceUpload: in a real browser with JavaScript off, in Arabic,
// a documenter chooses a file on the incident page and uploads it with
// the plain form; the incident lists it and its page shows its hash and
// the chain of custody.
func TestE2EEvidenceUpload(t *testing.T) {
	b := newE2EBrowser(t)
	h := newHarness(t)
	secret := make([]byte, 32)
	rand.Read(secret)
	srv, err := New(Options{Store: h.st, SecretKey: secret, Now: func() time.Time { return h.now },
		Logger: discardLogger(), Sleep: func(time.Duration) {}, Evidence: h.ev})
	if err != nil {
		t.Fatal(err)
	}
	h.srv = srv
	h.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(h.ts.Close)
	u := e2eUser(h, "e2e-evidence", model.RoleDocumenter, "ar")
	inc := &model.Incident{Type: "death_threat", Date: model.Date{Start: "2021-03-04", End: "2021-03-04", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-BA"}, Verification: "reported", Visibility: model.VisibilityInternal}
	if err := h.st.CreateIncident(context.Background(), u.Username, inc); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "صورة-البصرة.jpg")
	if err := os.WriteFile(file, gpsJPEG(t), 0o600); err != nil {
		t.Fatal(err)
	}
	tb := b.tab(t, h.ts.URL, "ar", false)
	tb.signIn(h, u)
	tb.open("/incidents/" + inc.ID)
	tb.do(chromedp.SetUploadFiles(chromedp.CSS(`form[action$="/evidence"] input[type=file]`), []string{file}))
	tb.click(`form[action$="/evidence"] button[type=submit]`)
	if p := tb.path(); !strings.HasPrefix(p, "/incidents/"+inc.ID+"?notice=evidence") {
		t.Fatalf("after the upload: at %s", p)
	}
	tb.shot("evidence-uploaded")
	list, _ := h.st.ListEvidence(context.Background(), store.KindIncident, inc.ID)
	if len(list) != 1 || h.ev.Name(&list[0]) != "صورة-البصرة.jpg" {
		t.Fatalf("stored: %+v", list)
	}
	tb.click(`a[href="/evidence/` + list[0].ID + `"]`)
	if h1 := tb.text("main h1"); !strings.Contains(h1, "ملف دليل") || !strings.Contains(h1, "صورة-البصرة.jpg") {
		t.Errorf("evidence page heading %q", h1)
	}
	if !strings.Contains(tb.text("main"), h.ev.SHA256(&list[0])) || h.ev.SHA256(&list[0]) == "" || !strings.Contains(tb.text("main"), "استلام") {
		t.Errorf("the evidence page lacks the hash or the custody line: %s", tb.text("main"))
	}
	tb.shot("evidence-page")
}
