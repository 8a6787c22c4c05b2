package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
)

// grant makes u (who signed in at least once, so has a key pair) a member.
func grant(t *testing.T, h *harness, u *model.User, compartment string) {
	t.Helper()
	fresh, _ := h.st.GetUser(context.Background(), u.ID)
	if err := keys.Grant(context.Background(), h.st, "test", keys.Identity{}, compartment, fresh); err != nil {
		t.Fatal(err)
	}
}

// reads lists the audit entries recording reads of restricted fields.
func reads(h *harness) []audit.Entry {
	var out []audit.Entry
	h.st.AuditEntries(context.Background(), func(e audit.Entry) error {
		if strings.HasPrefix(e.Action, "read:") {
			out = append(out, e)
		}
		return nil
	})
	return out
}

// TestRestrictedMemberAndNonMember: a member of the protection
// compartment writes and reads a person's protection details, and the
// read is audited; another protection officer who is not a member sees
// that details exist, never their content, and leaves no read entry; a
// session whose key the server no longer holds is asked to sign in again.
func TestRestrictedMemberAndNonMember(t *testing.T) {
	h := newHarness(t)
	var logs bytes.Buffer // everything the server logs, at every level
	h.srv.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	member := h.user("rana", model.RoleProtection)
	h.user("sami", model.RoleProtection)
	mc, oc := h.anonymous(), h.anonymous()
	signIn(t, h, mc, "rana") // the first sign-in gives the account its key pair
	signIn(t, h, oc, "sami")
	grant(t, h, member, model.CompartmentProtection)
	p := peoplePerson(t, h, "rana", model.Person{NameLatin: "Harith Example"})
	path := "/persons/" + p.ID

	if _, body := mc.get(path); !strings.Contains(body, path+"/protection") {
		t.Fatalf("the member's person page has no link to the protection details")
	}
	canary := url.Values{"contacts": {"+964 780 000 4242"}, "whereabouts": {"Qalaat Zerdawa"}, "relocation": {"Xanthorelo city"}, "notes": {"Nightly calls"}}
	if resp, body := mc.post(path+"/protection", canary); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", resp.StatusCode, body)
	}
	resp, body := mc.get(path + "/protection")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Xanthorelo city") || !strings.Contains(body, "780 000 4242") {
		t.Fatalf("member reads: %d", resp.StatusCode)
	}
	r := reads(h)
	if len(r) != 1 || r[0].Actor != "rana" || r[0].RecordID != p.ID || r[0].Action != "read:protection" || r[0].Kind != "person" {
		t.Fatalf("audit of the read: %+v", r)
	}

	_, body = oc.get(path)
	if !strings.Contains(body, "Only members") || strings.Contains(body, "Xanthorelo") || strings.Contains(body, path+"/protection") {
		t.Errorf("the non-member's person page: %s", body)
	}
	resp, body = oc.get(path + "/protection")
	if resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Xanthorelo") {
		t.Errorf("non-member opens: %d", resp.StatusCode)
	}
	if resp, _ := oc.post(path+"/protection", url.Values{"notes": {"overwrite"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("non-member writes: %d", resp.StatusCode)
	}
	if len(reads(h)) != 1 {
		t.Error("a refused read was audited as a read")
	}

	// Without the key in server memory (signed out, restarted), a valid
	// session reads nothing.
	mc.post("/logout", nil)
	if n := len(h.srv.held.m); n != 1 {
		t.Errorf("%d keys held after sign-out, want only the non-member's", n)
	}
	resp, body = h.as(member).get(path + "/protection")
	if resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Xanthorelo") || !strings.Contains(body, "sign in again") {
		t.Errorf("session without a key: %d", resp.StatusCode)
	}

	// Emptying every field destroys the group and its data key.
	mc, h.now = h.anonymous(), h.now.Add(time.Minute) // a fresh TOTP step
	signIn(t, h, mc, "rana")
	mc.post(path+"/protection", url.Values{})
	if ok, _ := keys.Exists(context.Background(), h.st, "person", p.ID, model.GroupPersonProtection); ok {
		t.Error("emptied protection details still stored")
	}
	for _, vs := range canary {
		if strings.Contains(logs.String(), vs[0]) {
			t.Errorf("the server log holds %q", vs[0])
		}
	}
	t.Logf("%d bytes of server log checked", logs.Len())
}

// TestSourceIdentity: a source's identity is for members of the sources
// compartment; to anyone else the page looks missing.
func TestSourceIdentity(t *testing.T) {
	h := newHarness(t)
	member := h.user("lina", model.RoleAnalyst)
	h.user("omar", model.RoleCoordinator)
	mc, oc := h.anonymous(), h.anonymous()
	signIn(t, h, mc, "lina")
	signIn(t, h, oc, "omar")
	grant(t, h, member, model.CompartmentSources)
	src := &model.Source{Type: "witness", Reliability: "B", Label: "S-7"}
	if err := h.st.CreateSource(context.Background(), "lina", src); err != nil {
		t.Fatal(err)
	}
	path := "/sources/" + src.ID + "/identity"
	if resp, _ := mc.post(path, url.Values{"name": {"Quorvath Ibn Canary"}, "contacts": {"Signal +964 750 111 2233"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save identity: %d", resp.StatusCode)
	}
	if _, body := mc.get(path); !strings.Contains(body, "Quorvath Ibn Canary") {
		t.Error("the member does not see the identity")
	}
	if resp, body := oc.get(path); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "Quorvath") {
		t.Errorf("non-member: %d", resp.StatusCode)
	}
}
