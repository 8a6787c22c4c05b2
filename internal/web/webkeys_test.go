package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
)

// signInWith signs c in as name with password pw and the current code; the
// clock moves past the last code first, since each code works once.
func signInWith(t *testing.T, h *harness, c *client, name, pw string) {
	t.Helper()
	h.now = h.now.Add(31 * time.Second)
	c.get("/login")
	resp, _ := c.post("/login", url.Values{"username": {name}, "password": {pw}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login/totp" {
		t.Fatalf("sign-in of %s: %d → %s", name, resp.StatusCode, resp.Header.Get("Location"))
	}
	c.sess, _ = h.st.GetSession(context.Background(), hashToken(sessionToken(c)))
	resp, _ = c.post("/login/totp", url.Values{"code": {code(h.now)}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("second factor of %s: %d → %s", name, resp.StatusCode, resp.Header.Get("Location"))
	}
	c.sess, _ = h.st.GetSession(context.Background(), hashToken(sessionToken(c)))
}

// protect saves canary protection details on a new person as c (a member).
func protect(t *testing.T, h *harness, c *client, actor, canary string) string {
	t.Helper()
	p := peoplePerson(t, h, actor, model.Person{NameLatin: "Kadhim Example"})
	resp, body := c.post("/persons/"+p.ID+"/protection", url.Values{"relocation": {canary}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save protection details: %d %s", resp.StatusCode, body)
	}
	return "/persons/" + p.ID + "/protection"
}

const newPassword = "seven quiet rivers under Basra"

// TestChangePasswordWeb: a wrong current password, a forged form and a
// mismatch change nothing; the real change makes the old password useless
// and the new one sign in, keeps this session and its key (restricted
// details still open), ends the other sessions, and leaves an audit entry
// without a secret.
func TestChangePasswordWeb(t *testing.T) {
	h := newHarness(t)
	h.user("rana", model.RoleProtection)
	c, other := h.anonymous(), h.anonymous()
	signInWith(t, h, c, "rana", testPassword)
	signInWith(t, h, other, "rana", testPassword)
	u, _ := h.st.GetUser(context.Background(), c.sess.UserID)
	grant(t, h, u, model.CompartmentProtection)
	path := protect(t, h, c, "rana", "Zakho safe house 7")

	if resp, body := c.get("/account/password"); resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="current"`) {
		t.Fatalf("password page: %d", resp.StatusCode)
	}
	form := func(current, next, again string) url.Values {
		return url.Values{"current": {current}, "new": {next}, "again": {again}}
	}
	f := form(testPassword, newPassword, newPassword)
	f.Set("csrf", "forged")
	if resp, _ := c.post("/account/password", f); resp.StatusCode != http.StatusForbidden {
		t.Errorf("forged form: %d, want 403", resp.StatusCode)
	}
	slept := len(h.slept)
	if resp, body := c.post("/account/password", form("not my password!", newPassword, newPassword)); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "current password is wrong") {
		t.Errorf("wrong current password: %d", resp.StatusCode)
	}
	if len(h.slept) != slept+1 {
		t.Errorf("a wrong current password did not go through the sign-in's slow-down: %v", h.slept[slept:])
	}
	if got, _ := h.st.GetUser(context.Background(), u.ID); got.FailedLogins != 1 {
		t.Errorf("a wrong current password was not counted: %d failures", got.FailedLogins)
	}
	if resp, _ := c.post("/account/password", form(testPassword, newPassword, newPassword+"x")); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("mismatched new passwords: %d", resp.StatusCode)
	}
	if resp, body := c.post("/account/password", form(testPassword, "short one", "short one")); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "at least 12 characters") {
		t.Errorf("short new password: %d", resp.StatusCode)
	}
	if got, _ := h.st.GetUser(context.Background(), u.ID); !account.VerifyPassword(got.PasswordHash, testPassword) {
		t.Fatal("a refused change changed the password")
	}

	resp, _ := c.post("/account/password", form(testPassword, newPassword, newPassword))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account/password?changed=1" {
		t.Fatalf("change: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := c.get(path); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Zakho safe house 7") {
		t.Errorf("this session no longer opens the restricted details: %d", resp.StatusCode)
	}
	if resp, _ := other.get("/"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("the other session was not ended: %d", resp.StatusCode)
	}
	got, _ := h.st.GetUser(context.Background(), u.ID)
	if _, err := keys.Unseal(got, testPassword); !errors.Is(err, keys.ErrWrongPassword) {
		t.Errorf("the old password still opens the private key: %v", err)
	}
	if string(got.PublicKey) != string(u.PublicKey) || got.FailedLogins != 0 {
		t.Errorf("the key pair changed, or failures were kept (%d)", got.FailedLogins)
	}

	old := h.anonymous()
	old.get("/login")
	if resp, _ := old.post("/login", url.Values{"username": {"rana"}, "password": {testPassword}}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the old password signs in: %d", resp.StatusCode)
	}
	fresh := h.anonymous()
	signInWith(t, h, fresh, "rana", newPassword)
	if resp, body := fresh.get(path); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Zakho safe house 7") {
		t.Errorf("after signing in with the new password the restricted details do not open: %d", resp.StatusCode)
	}

	var found bool
	h.st.AuditEntries(context.Background(), func(e audit.Entry) error {
		b, _ := json.Marshal(e)
		if strings.Contains(string(b), newPassword) || strings.Contains(string(b), testPassword) {
			t.Errorf("an audit entry holds a password: %s", b)
		}
		found = found || (e.Action == "password" && e.RecordID == u.ID && e.Actor == "rana")
		return nil
	})
	if !found {
		t.Error("no audit entry for the password change")
	}
}

// TestChangePasswordLockout: the current password is checked under the
// sign-in's lockout: after too many wrong ones even the right one is
// refused, and nothing changes.
func TestChangePasswordLockout(t *testing.T) {
	h := newHarness(t)
	u := h.user("omar", model.RoleDocumenter)
	c := h.anonymous()
	signInWith(t, h, c, "omar", testPassword)
	for range account.LockAfter {
		c.post("/account/password", url.Values{"current": {"wrong password"}, "new": {newPassword}, "again": {newPassword}})
	}
	if d := h.slept[len(h.slept)-1]; d < account.Delay(account.LockAfter) || d == 0 {
		t.Errorf("repeated wrong passwords were not slowed down: %v", h.slept)
	}
	resp, _ := c.post("/account/password", url.Values{"current": {testPassword}, "new": {newPassword}, "again": {newPassword}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("locked account changes its password: %d", resp.StatusCode)
	}
	if got, _ := h.st.GetUser(context.Background(), u.ID); !account.VerifyPassword(got.PasswordHash, testPassword) {
		t.Error("the password changed while the account was locked")
	}
}

// TestCompartmentsWeb: a coordinator who is a member grants the protection
// compartment on the web, and the grantee reads after signing in; a
// revocation (after a confirmation page) takes it away again and rotates
// the key; an admin without a key is told so and can do neither; forged
// forms, analysts and the last holder are refused.
func TestCompartmentsWeb(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.user("zainab", model.RoleCoordinator)
	h.user("huda", model.RoleProtection)
	h.user("ali", model.RoleAnalyst)
	h.user("root", model.RoleAdmin)
	coord, po, analyst, admin := h.anonymous(), h.anonymous(), h.anonymous(), h.anonymous()
	signInWith(t, h, coord, "zainab", testPassword)
	signInWith(t, h, po, "huda", testPassword)
	signInWith(t, h, analyst, "ali", testPassword)
	signInWith(t, h, admin, "root", testPassword)
	zainab, _ := h.st.GetUserByName(ctx, "zainab")
	huda, _ := h.st.GetUserByName(ctx, "huda")
	ali, _ := h.st.GetUserByName(ctx, "ali")
	grant(t, h, zainab, model.CompartmentProtection) // the first member, as 'rasd keys grant' makes it
	path := protect(t, h, coord, "zainab", "Erbil flat 12B")
	if resp, _ := po.get(path); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("before the grant huda opens: %d", resp.StatusCode)
	}
	g := func(user string) url.Values {
		return url.Values{"compartment": {model.CompartmentProtection}, "user": {user}}
	}

	resp, body := coord.get("/admin/compartments")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "zainab") || !strings.Contains(body, `value="`+huda.ID+`"`) {
		t.Fatalf("coordinator's page: %d", resp.StatusCode)
	}
	if strings.Contains(body, `<option value="`+ali.ID+`"`) { // sources has no key yet: the only select is protection's
		t.Errorf("the analyst is offered the protection compartment")
	}
	resp, body = admin.get("/admin/compartments")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "You hold no key of this compartment") {
		t.Errorf("non-member admin's page: %d, no word that they hold no key", resp.StatusCode)
	}
	if resp, body := admin.post("/admin/compartments/grant", g(huda.ID)); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "You hold no key") {
		t.Errorf("non-member admin grants: %d", resp.StatusCode)
	}
	f := g(huda.ID)
	f.Set("csrf", "forged")
	if resp, _ := coord.post("/admin/compartments/grant", f); resp.StatusCode != http.StatusForbidden {
		t.Errorf("forged grant: %d", resp.StatusCode)
	}
	if ok, _ := keys.IsMember(ctx, h.st, model.CompartmentProtection, huda.ID); ok {
		t.Fatal("a refused grant made huda a member")
	}
	if resp, _ := coord.post("/admin/compartments/grant", g(ali.ID)); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("protection granted to an analyst: %d", resp.StatusCode)
	}
	if resp, _ := coord.post("/admin/compartments/revoke", g(zainab.ID)); resp.StatusCode != http.StatusConflict {
		t.Errorf("revoking the last holder: %d, want 409", resp.StatusCode)
	}

	if resp, body := coord.post("/admin/compartments/grant", g(huda.ID)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant: %d %s", resp.StatusCode, body)
	}
	po = h.anonymous()
	signInWith(t, h, po, "huda", testPassword)
	if resp, body := po.get(path); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Erbil flat 12B") {
		t.Fatalf("after the web grant huda does not read: %d", resp.StatusCode)
	}

	resp, body = coord.post("/admin/compartments/revoke", g(huda.ID))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="confirm" value="yes"`) || !strings.Contains(body, "replaces the compartment") {
		t.Fatalf("revoke without confirmation: %d, want the confirmation page", resp.StatusCode)
	}
	if ok, _ := keys.IsMember(ctx, h.st, model.CompartmentProtection, huda.ID); !ok {
		t.Fatal("the confirmation page revoked already")
	}
	f = g(huda.ID)
	f.Set("confirm", "yes")
	if resp, body := coord.post("/admin/compartments/revoke", f); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d %s", resp.StatusCode, body)
	}
	if v, _, _ := h.st.Compartment(ctx, model.CompartmentProtection); v != 2 {
		t.Errorf("key version after revocation = %d, want 2 (rotated)", v)
	}
	if resp, body := po.get(path); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Erbil") {
		t.Errorf("huda reads after the revocation: %d", resp.StatusCode)
	}
	again := h.anonymous()
	signInWith(t, h, again, "huda", testPassword)
	if resp, _ := again.get(path); resp.StatusCode != http.StatusForbidden {
		t.Errorf("huda reads after signing in again: %d", resp.StatusCode)
	}
	if resp, body := coord.get(path); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Erbil flat 12B") {
		t.Errorf("the remaining member lost the re-keyed record: %d", resp.StatusCode)
	}

	acts := map[string]bool{}
	h.st.AuditEntries(ctx, func(e audit.Entry) error {
		if e.Actor == "zainab" {
			acts[e.Action] = true
		}
		return nil
	})
	if !acts["grant"] || !acts["rotate"] {
		t.Errorf("the web grant and revocation are not in the audit log under the acting member: %v", acts)
	}

	// A member whose key the server no longer holds is asked to sign in.
	stale := h.as(zainab)
	if resp, body := stale.post("/admin/compartments/grant", g(huda.ID)); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Sign out and sign in again") {
		t.Errorf("grant without a held key: %d", resp.StatusCode)
	}
}

// TestHeldKeysDropOthers: after a password change the keys of the user's
// other sessions are gone and zeroed; this session's and other users'
// stay.
func TestHeldKeysDropOthers(t *testing.T) {
	now := time.Now()
	h := newHeldKeys(time.Hour)
	key := func() []byte { return []byte{1, 2, 3, 4} }
	mine, other, elses := key(), key(), key()
	h.put("mine", "u1", mine, now.Add(time.Hour), now)
	h.put("other", "u1", other, now.Add(time.Hour), now)
	h.put("else", "u2", elses, now.Add(time.Hour), now)
	h.dropOthers("u1", "mine")
	if !h.has("mine", "u1", now) || !h.has("else", "u2", now) || h.has("other", "u1", now) {
		t.Errorf("held after dropOthers: mine %v, else %v, other %v", h.has("mine", "u1", now), h.has("else", "u2", now), h.has("other", "u1", now))
	}
	if string(other) != "\x00\x00\x00\x00" {
		t.Errorf("the dropped key was not zeroed: %v", other)
	}
}
