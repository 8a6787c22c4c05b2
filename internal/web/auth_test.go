package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

func code(t time.Time) string {
	c, _ := totp.GenerateCode(testTOTPSecret, t)
	return c
}

func sessionToken(c *client) string {
	base, _ := url.Parse(c.h.ts.URL)
	for _, ck := range c.http.Jar.Cookies(base) {
		if ck.Name == sessionCookie {
			return ck.Value
		}
	}
	return ""
}

// signIn goes through the login form and the TOTP step.
func signIn(t *testing.T, h *harness, c *client, name string) {
	t.Helper()
	c.get("/login") // pre-session cookie
	resp, _ := c.post("/login", url.Values{"username": {name}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login/totp" {
		t.Fatalf("login: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	c.sess, _ = h.st.GetSession(context.Background(), hashToken(sessionToken(c)))
	resp, _ = c.post("/login/totp", url.Values{"code": {code(h.now)}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("totp: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	c.sess, _ = h.st.GetSession(context.Background(), hashToken(sessionToken(c)))
}

func TestLoginTOTPAndLogout(t *testing.T) {
	h := newHarness(t)
	h.user("zainab", model.RoleDocumenter)
	c := h.anonymous()
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("anonymous / = %d, want a redirect to sign in", resp.StatusCode)
	}
	signIn(t, h, c, "zainab")
	if resp, body := c.get("/"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "zainab") {
		t.Fatalf("after sign-in / = %d", resp.StatusCode)
	}
	resp, _ := c.post("/logout", nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Clear-Site-Data"), "cookies") {
		t.Errorf("logout: %d, Clear-Site-Data %q", resp.StatusCode, resp.Header.Get("Clear-Site-Data"))
	}
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout / = %d", resp.StatusCode)
	}
}

func TestSessionFixation(t *testing.T) {
	h := newHarness(t)
	h.user("ali", model.RoleAnalyst)
	c := h.anonymous()
	c.get("/login")
	// An attacker plants a session cookie before the victim signs in.
	base, _ := url.Parse(h.ts.URL)
	c.http.Jar.SetCookies(base, []*http.Cookie{{Name: sessionCookie, Value: "planted-by-attacker", Path: "/"}})
	c.post("/login", url.Values{"username": {"ali"}, "password": {testPassword}})
	afterPassword := sessionToken(c)
	if afterPassword == "planted-by-attacker" || afterPassword == "" {
		t.Fatal("the session token was not replaced at sign-in")
	}
	c.sess, _ = h.st.GetSession(context.Background(), hashToken(afterPassword))
	c.post("/login/totp", url.Values{"code": {code(h.now)}})
	afterTOTP := sessionToken(c)
	if afterTOTP == afterPassword {
		t.Error("the session token was not replaced after the second factor")
	}
	if _, err := h.st.GetSession(context.Background(), hashToken(afterPassword)); err == nil {
		t.Error("the half-signed-in session still exists")
	}
}

func TestTOTPReplay(t *testing.T) {
	h := newHarness(t)
	h.user("noor", model.RoleCoordinator)
	first := h.anonymous()
	signIn(t, h, first, "noor")
	// The same code, within its 30 seconds, from another browser.
	second := h.anonymous()
	second.get("/login")
	second.post("/login", url.Values{"username": {"noor"}, "password": {testPassword}})
	second.sess, _ = h.st.GetSession(context.Background(), hashToken(sessionToken(second)))
	resp, _ := second.post("/login/totp", url.Values{"code": {code(h.now)}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("replayed TOTP code: %d, want 401", resp.StatusCode)
	}
	h.now = h.now.Add(account.Period * time.Second)
	if resp, _ := second.post("/login/totp", url.Values{"code": {code(h.now)}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("next code refused: %d", resp.StatusCode)
	}
}

func TestLockout(t *testing.T) {
	h := newHarness(t)
	u := h.user("sajjad", model.RoleDocumenter)
	c := h.anonymous()
	c.get("/login")
	for i := 0; i < account.LockAfter; i++ {
		resp, _ := c.post("/login", url.Values{"username": {"sajjad"}, "password": {"wrong password " + string(rune('a'+i))}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, resp.StatusCode)
		}
	}
	if n := len(h.slept); n != account.LockAfter || h.slept[0] != 0 || h.slept[n-1] <= h.slept[n-3] {
		t.Errorf("failures did not slow down: delays %v", h.slept)
	}
	got, _ := h.st.GetUser(context.Background(), u.ID)
	if got.LockedUntil == nil || !got.LockedUntil.After(h.now) {
		t.Fatalf("account not locked after %d failures", account.LockAfter)
	}
	// The right password is refused while locked, with the same message.
	other := h.anonymous()
	other.get("/login")
	resp, body := other.post("/login", url.Values{"username": {"sajjad"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Sign-in refused") {
		t.Errorf("locked account signed in: %d", resp.StatusCode)
	}
	h.now = h.now.Add(account.LockFor + time.Minute)
	signIn(t, h, h.anonymous(), "sajjad")
}

func TestCSRFRefused(t *testing.T) {
	h := newHarness(t)
	u := h.user("amjad", model.RoleDocumenter)
	c := h.as(u)
	for _, form := range []url.Values{{"csrf": {""}}, {"csrf": {"0000"}}, {"csrf": {h.as(u).csrf()}}} {
		resp, _ := c.post("/logout", form)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("logout with csrf %q: %d, want 403", form.Get("csrf"), resp.StatusCode)
		}
	}
	anon := h.anonymous()
	if resp, _ := anon.post("/login", url.Values{"username": {"amjad"}, "password": {testPassword}, "csrf": {"x"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("login without a valid token: %d", resp.StatusCode)
	}
	if resp, _ := c.post("/logout", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("logout with the right token: %d", resp.StatusCode)
	}
}

func TestIdleAndAbsoluteTimeout(t *testing.T) {
	h := newHarness(t)
	u := h.user("huda", model.RoleAnalyst)
	c := h.as(u)
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("fresh session: %d", resp.StatusCode)
	}
	h.now = h.now.Add(31 * time.Minute)
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("idle session still valid: %d", resp.StatusCode)
	}
}

func TestAdminEndsSessions(t *testing.T) {
	h := newHarness(t)
	admin, u := h.user("root", model.RoleAdmin), h.user("rana", model.RoleDocumenter)
	victim := h.as(u)
	if resp, _ := h.as(u).post("/admin/users/"+u.ID+"/end-sessions", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a documenter ended sessions: %d", resp.StatusCode)
	}
	if resp, _ := h.as(admin).post("/admin/users/"+u.ID+"/end-sessions", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin end sessions: %d", resp.StatusCode)
	}
	if resp, _ := victim.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("session survived: %d", resp.StatusCode)
	}
}

func TestEnrolment(t *testing.T) {
	h := newHarness(t)
	u := &model.User{Username: "new", Role: model.RoleDocumenter, Lang: "ar", PasswordHash: account.HashPassword(testPassword)}
	h.st.CreateUser(context.Background(), "test", u)
	c := h.anonymous()
	c.get("/login")
	resp, _ := c.post("/login", url.Values{"username": {"new"}, "password": {testPassword}})
	if resp.Header.Get("Location") != "/enrol" {
		t.Fatalf("unenrolled user sent to %q", resp.Header.Get("Location"))
	}
	c.sess, _ = h.st.GetSession(context.Background(), hashToken(sessionToken(c)))
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("data shown before enrolment: %d", resp.StatusCode)
	}
	_, body := c.get("/enrol")
	i := strings.Index(body, `<code id="secret">`)
	if i < 0 {
		t.Fatal("no secret on the enrolment page")
	}
	secret := strings.ReplaceAll(body[i+len(`<code id="secret">`):i+strings.Index(body[i:], "</code>")], " ", "")
	c2, _ := totp.GenerateCode(secret, h.now)
	resp, body = c.post("/enrol", url.Values{"code": {otherCode(c2)}})
	if resp.StatusCode != http.StatusUnauthorized || strings.Count(body, `class="qr"`) != 1 ||
		!strings.Contains(strings.ReplaceAll(body, " ", ""), secret) || !strings.Contains(body, "secret="+secret) {
		t.Fatalf("after a wrong code: %d, %d QR codes; the same key must be shown again, scannable",
			resp.StatusCode, strings.Count(body, `class="qr"`))
	}
	resp, body = c.post("/enrol", url.Values{"code": {c2}})
	if resp.StatusCode != http.StatusOK || strings.Count(body, "<li><code>") != 10 {
		t.Fatalf("enrol: %d, recovery codes shown: %d", resp.StatusCode, strings.Count(body, "<li><code>"))
	}
	got, _ := h.st.GetUser(context.Background(), u.ID)
	if !got.Enrolled() || len(got.RecoveryCodes) != 10 {
		t.Error("enrolment not saved")
	}
}

func TestArabicDigits(t *testing.T) {
	h := newHarness(t)
	u := h.user("layla", model.RoleAnalyst)
	u, _ = h.st.GetUser(context.Background(), u.ID)
	u.Lang = "ar"
	h.st.UpdateUser(context.Background(), "test", u)
	for range 3 {
		inc := storetest.Incident()
		if err := h.st.CreateIncident(context.Background(), "layla", &inc); err != nil {
			t.Fatal(err)
		}
	}
	c := h.as(u)
	main := func(body string) string { return body[strings.Index(body, "<main>"):] } // the header offers "١٢٣"
	_, body := c.get("/")
	body = main(body)
	if !strings.Contains(body, "3 حوادث") || strings.Contains(body, "٣") {
		t.Fatal("Arabic-Indic digits before they were chosen")
	}
	if resp, _ := c.post("/lang", url.Values{"digits": {"arab"}, "back": {"/"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("choose digits: %d", resp.StatusCode)
	}
	_, body = c.get("/")
	body = main(body)
	if !strings.Contains(body, "٣ حوادث") || !strings.Contains(body, "٢٠١٩") {
		t.Errorf("no Arabic-Indic digits after choosing them")
	}
	if got, _ := h.st.GetUser(context.Background(), u.ID); got.Lang != u.Lang {
		t.Errorf("choosing digits changed the language to %q", got.Lang)
	}
}

// otherCode is a six-digit code that is not code.
func otherCode(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}

// TestAdminDisablesAccount: an admin disables an account from the users
// page, which ends its sessions and keeps it out, and enables it again;
// nobody else can, and an admin cannot disable their own account there.
func TestAdminDisablesAccount(t *testing.T) {
	h := newHarness(t)
	admin, u := h.user("root", model.RoleAdmin), h.user("rana", model.RoleDocumenter)
	victim := h.as(u)
	if resp, _ := h.as(u).post("/admin/users/"+u.ID+"/disable", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a documenter disabled an account: %d", resp.StatusCode)
	}
	ac := h.as(admin)
	if resp, body := ac.post("/admin/users/"+admin.ID+"/disable", nil); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, template.HTMLEscapeString(i18n.T("en", "users.not_self"))) && !strings.Contains(body, template.HTMLEscapeString(i18n.T("ar", "users.not_self"))) {
		t.Errorf("an admin disabling their own account: %d", resp.StatusCode)
	}
	if resp, _ := ac.post("/admin/users/"+u.ID+"/disable", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin disable: %d", resp.StatusCode)
	}
	got, err := h.st.GetUser(context.Background(), u.ID)
	if err != nil || !got.Disabled {
		t.Fatalf("not disabled in the store: %v", err)
	}
	if resp, _ := victim.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a disabled account's session survived: %d", resp.StatusCode)
	}
	if _, body := ac.get("/admin/users"); !strings.Contains(body, "/admin/users/"+u.ID+"/enable") {
		t.Error("the users page offers no enable for the disabled account")
	}
	if resp, _ := ac.post("/admin/users/"+u.ID+"/enable", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin enable: %d", resp.StatusCode)
	}
	if got, _ := h.st.GetUser(context.Background(), u.ID); got.Disabled {
		t.Error("still disabled after enable")
	}
	if resp, _ := h.as(u).get("/"); resp.StatusCode != http.StatusOK {
		t.Errorf("an enabled account cannot use a new session: %d", resp.StatusCode)
	}
}
