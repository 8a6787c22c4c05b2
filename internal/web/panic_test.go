package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/model"
)

// panicSetup gives the harness a real keyring (with recovery shares) for
// the panic action to destroy, and counts the action's calls.
func panicSetup(t *testing.T, h *harness) (dir string, shares []keyring.Share, calls *int) {
	t.Helper()
	dir = t.TempDir()
	k, err := keyring.Create(dir, keyring.Secret{Passphrase: []byte("the instance passphrase")})
	if err != nil {
		t.Fatal(err)
	}
	if shares, err = k.SetupRecovery(dir, 2, 3); err != nil {
		t.Fatal(err)
	}
	calls = new(int)
	h.srv.opts.Wipe = func() error {
		*calls++
		_, err := keyring.Destroy(dir)
		return err
	}
	return dir, shares, calls
}

func TestPanicWipeNeedsEveryConfirmation(t *testing.T) {
	h := newHarness(t)
	dir, _, calls := panicSetup(t, h)
	admin := h.user("admin1", model.RoleAdmin)
	doc := h.user("doc1", model.RoleCoordinator)
	c := h.as(admin)
	phrase := panicPhrases["en"]

	if resp, body := c.get("/admin/panic"); resp.StatusCode != 200 || !strings.Contains(body, phrase) || !strings.Contains(body, `name="password"`) {
		t.Fatalf("panic page: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := h.as(doc).post("/admin/panic", url.Values{"password": {testPassword}, "phrase": {phrase}}); resp.StatusCode != 403 {
		t.Errorf("a coordinator's panic wipe: %d", resp.StatusCode)
	}
	if resp, _ := h.anonymous().post("/admin/panic", url.Values{"csrf": {"x"}, "password": {testPassword}, "phrase": {phrase}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("an anonymous panic wipe: %d", resp.StatusCode)
	}
	cases := []struct {
		name string
		form url.Values
		code int
	}{
		{"no CSRF token", url.Values{"csrf": {"forged"}, "password": {testPassword}, "phrase": {phrase}}, 403},
		{"wrong password", url.Values{"password": {"not the password"}, "phrase": {phrase}}, 401},
		{"no phrase", url.Values{"password": {testPassword}}, 422},
		{"no password", url.Values{"phrase": {phrase}}, 422},
		{"phrase in lower case", url.Values{"password": {testPassword}, "phrase": {strings.ToLower(phrase)}}, 422},
		{"half the phrase", url.Values{"password": {testPassword}, "phrase": {"DESTROY"}}, 422},
	}
	for _, tc := range cases {
		if resp, body := c.post("/admin/panic", tc.form); resp.StatusCode != tc.code || !strings.Contains(body, "Nothing was destroyed") && tc.code != 403 {
			t.Errorf("%s: %d, want %d\n%s", tc.name, resp.StatusCode, tc.code, body)
		}
	}
	// A cross-site POST (a link on another site) is refused before the handler.
	req, _ := http.NewRequest(http.MethodPost, h.ts.URL+"/admin/panic", strings.NewReader(url.Values{
		"csrf": {c.csrf()}, "password": {testPassword}, "phrase": {phrase}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, _ := c.do(req); resp.StatusCode != 403 {
		t.Errorf("cross-site POST: %d", resp.StatusCode)
	}
	if *calls != 0 || !keyring.Exists(dir) || h.srv.Wiped() {
		t.Fatalf("a refused confirmation wiped (calls %d)", *calls)
	}
	u, _ := h.st.GetUser(t.Context(), admin.ID)
	if u.FailedLogins != 1 {
		t.Errorf("the wrong password was not counted against the account (%d)", u.FailedLogins)
	}
	// Guessing the password here locks the account and ends the session.
	for i := 1; i < account.LockAfter; i++ {
		resp, _ := c.post("/admin/panic", url.Values{"password": {"guess"}, "phrase": {phrase}})
		if last := i == account.LockAfter-1; last != (resp.StatusCode == http.StatusSeeOther) {
			t.Fatalf("guess %d: %d", i+1, resp.StatusCode)
		}
	}
	if resp, _ := c.get("/admin/panic"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("after the lockout the session still works: %d", resp.StatusCode)
	}
	if *calls != 0 {
		t.Fatal("wiped")
	}
}

func TestPanicWipeDestroysAndStopsServing(t *testing.T) {
	h := newHarness(t)
	dir, shares, calls := panicSetup(t, h)
	admin := h.user("admin1", model.RoleAdmin)
	c, other := h.as(admin), h.as(h.user("doc1", model.RoleDocumenter))
	if resp, _ := other.get("/incidents"); resp.StatusCode != 200 {
		t.Fatalf("before: %d", resp.StatusCode)
	}
	resp, body := c.post("/admin/panic", url.Values{"password": {testPassword}, "phrase": {"  امسح  كل البيانات "}})
	if resp.StatusCode != http.StatusGone || !strings.Contains(body, "was wiped") || *calls != 1 {
		t.Fatalf("panic wipe (Arabic phrase): %d calls %d\n%s", resp.StatusCode, *calls, body)
	}
	// No key opens the data any more: not the passphrase, not the shares.
	if keyring.Exists(dir) || !keyring.Wiped(dir) {
		t.Fatal("the keyring is still there")
	}
	if _, err := keyring.Unlock(dir, keyring.Secret{Passphrase: []byte("the instance passphrase")}); !errors.Is(err, keyring.ErrNoKeyring) {
		t.Errorf("passphrase after the wipe: %v", err)
	}
	rk, err := keyring.Combine(shares[:2])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.UnlockRecovery(dir, rk); !errors.Is(err, keyring.ErrNoKeyring) {
		t.Errorf("recovery shares after the wipe: %v", err)
	}
	// Every request, signed in or not, gets the wiped page, without the
	// store: it is closed now, and nothing fails for it.
	h.st.Close()
	for _, cl := range []*client{c, other, h.anonymous()} {
		for _, p := range []string{"/", "/incidents", "/login", "/admin/panic", "/static/style.css", "/public/", "/nosuch"} {
			resp, body := cl.get(p)
			if resp.StatusCode != http.StatusGone || !strings.Contains(body, "was wiped") || strings.Contains(body, "doc1") {
				t.Errorf("GET %s after the wipe: %d\n%.300s", p, resp.StatusCode, body)
			}
		}
		resp, _ := cl.post("/login", url.Values{"csrf": {"x"}, "username": {"admin1"}, "password": {testPassword}})
		if resp.StatusCode != http.StatusGone {
			t.Errorf("POST /login after the wipe: %d", resp.StatusCode)
		}
	}
	c.post("/admin/panic", url.Values{"password": {testPassword}, "phrase": {panicPhrases["en"]}})
	if *calls != 1 {
		t.Errorf("the wipe ran %d times", *calls)
	}
}

func TestPanicWipeUnavailableOrIncomplete(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("admin1", model.RoleAdmin))
	form := url.Values{"password": {testPassword}, "phrase": {panicPhrases["en"]}}
	if resp, body := c.post("/admin/panic", form); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "rasd wipe") || h.srv.Wiped() {
		t.Errorf("without a Wipe function: %d", resp.StatusCode)
	}
	h.srv.opts.Wipe = func() error { return errors.New("disk failed") }
	resp, body := c.post("/admin/panic", form)
	if resp.StatusCode != http.StatusGone || !strings.Contains(body, "may not have been destroyed") || !h.srv.Wiped() {
		t.Errorf("incomplete wipe: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusGone {
		t.Errorf("an incomplete wipe still serves data: %d", resp.StatusCode)
	}
}
