package web

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// TestForgedAuthorityGetsNoOriginal: what someone who can write to the
// database but lacks the keyring forges with SQL grants nothing on the
// web. A session row inserted for an analyst, and a documenter's role
// raised to analyst under their real session, do not download an
// evidence original the analyst role would; each refusal is logged in a
// line without names or tokens, and audited.
func TestForgedAuthorityGetsNoOriginal(t *testing.T) {
	h := newHarness(t)
	var buf lockedBuffer
	h.srv.log = slog.New(slog.NewTextHandler(&buf, nil))
	ctx := context.Background()
	doc := h.user("zzdoc", model.RoleDocumenter)
	other := h.user("zzother", model.RoleDocumenter)
	analyst := h.user("zzanalyst", model.RoleAnalyst)
	inc := &model.Incident{Type: "death_threat", Date: model.Date{Start: "2021-03-04", End: "2021-03-04", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-BA"}, Verification: "reported", Visibility: model.VisibilityInternal}
	if err := h.st.CreateIncident(ctx, doc.Username, inc); err != nil {
		t.Fatal(err)
	}
	jpg := gpsJPEG(t)
	c := h.as(doc)
	if resp, _ := c.upload("/incidents/"+inc.ID+"/evidence", c.csrf(), map[string][]byte{"x.jpg": jpg}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	list, _ := h.st.ListEvidence(ctx, store.KindIncident, inc.ID)
	if len(list) != 1 {
		t.Fatalf("%d evidence rows", len(list))
	}
	original := "/evidence/" + list[0].ID + "/original"
	if resp, body := h.as(analyst).get(original); resp.StatusCode != http.StatusOK || body != string(jpg) {
		t.Fatalf("the analyst's real session: %d", resp.StatusCode)
	}
	mate := h.as(other)
	if resp, _ := mate.get(original); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("another documenter before the forgery: %d", resp.StatusCode)
	}
	db := h.st.(interface{ SQL() *sql.DB }).SQL()

	tok, now := randomToken(), h.now.UTC()
	if _, err := db.Exec(`INSERT INTO sessions (token_hash, user_rid, csrf, verified, created_at, last_seen, expires_at)
		SELECT ?, rid, 'x', true, ?, ?, ? FROM users WHERE id = ?`, hashToken(tok), now, now, now.Add(time.Hour), analyst.ID); err != nil {
		t.Fatal(err)
	}
	forged := h.anonymous()
	base, _ := url.Parse(h.ts.URL)
	forged.http.Jar.SetCookies(base, []*http.Cookie{{Name: sessionCookie, Value: tok, Path: "/"}})
	resp, body := forged.get(original)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" || body == string(jpg) {
		t.Errorf("a session inserted with SQL: %d %s, want a redirect to sign in", resp.StatusCode, resp.Header.Get("Location"))
	}

	if _, err := db.Exec(`UPDATE users SET role = 'analyst' WHERE id = ?`, other.ID); err != nil {
		t.Fatal(err)
	}
	resp, body = mate.get(original)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" || body == string(jpg) {
		t.Errorf("a documenter raised to analyst with SQL: %d %s, want a redirect to sign in", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := c.get(original); resp.StatusCode != http.StatusOK {
		t.Errorf("the uploader's own session after the forgeries: %d", resp.StatusCode)
	}

	log := buf.String()
	if n := strings.Count(log, "integrity"); n != 2 {
		t.Errorf("%d refusals logged, want 2:\n%s", n, log)
	}
	for _, secret := range []string{"zzdoc", "zzother", "zzanalyst", tok, hashToken(tok), sessionToken(mate)} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q:\n%s", secret, log)
		}
	}
	audited := map[string]bool{}
	h.st.AuditEntries(ctx, func(e audit.Entry) error {
		if e.Action == "refuse:tampered" {
			audited[e.Kind+" "+e.RecordID] = true
		}
		return nil
	})
	if !audited["session "+hashToken(tok)] || !audited["user "+other.ID] {
		t.Errorf("refusals audited: %v", audited)
	}
}
