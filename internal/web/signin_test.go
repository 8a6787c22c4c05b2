package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// onBothBackends runs fn with a harness over SQLite and one over
// PostgreSQL (a schema of its own), each made with opt.
func onBothBackends(t *testing.T, opt func(*Options), fn func(t *testing.T, h *harness)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newHarnessWith(t, opt)) })
	t.Run("postgres", func(t *testing.T) {
		url := teststores.Schema(t)
		st, err := postgres.Open(context.Background(), url, storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		h := newHarnessOn(t, st, t.TempDir(), opt)
		defer h.ts.Close() // before the schema goes
		fn(t, h)
	})
}

// postAsync is post for goroutines: it reports instead of failing.
func (c *client) postAsync(path string, form url.Values) (int, string, error) {
	form.Set("csrf", c.csrf())
	req, err := http.NewRequest(http.MethodPost, c.h.ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// TestParallelWrongPasswordsLock: 32 wrong passwords sent at once lock
// the account at the limit, each is refused, and the right password is
// refused after them (issue 12, item 6).
func TestParallelWrongPasswordsLock(t *testing.T) {
	onBothBackends(t, func(o *Options) { o.Active = 32 }, func(t *testing.T, h *harness) {
		u := h.user("rima", model.RoleDocumenter)
		c := h.anonymous()
		c.get("/login")
		var wg sync.WaitGroup
		statuses := make([]int, 32)
		errs := make([]error, 32)
		for i := range statuses {
			wg.Go(func() {
				statuses[i], _, errs[i] = c.postAsync("/login", url.Values{"username": {"rima"},
					"password": {fmt.Sprintf("wrong password %d", i)}})
			})
		}
		wg.Wait()
		for i := range statuses {
			if errs[i] != nil || statuses[i] != http.StatusUnauthorized {
				t.Fatalf("wrong password %d: %d, %v", i, statuses[i], errs[i])
			}
		}
		got, err := h.st.GetUser(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FailedLogins != account.LockAfter || got.LockedUntil == nil || !got.LockedUntil.After(h.now) {
			t.Errorf("after 32 parallel wrong passwords: %d failures counted, locked until %v; want %d and locked",
				got.FailedLogins, got.LockedUntil, account.LockAfter)
		}
		other := h.anonymous()
		other.get("/login")
		if resp, _ := other.post("/login", url.Values{"username": {"rima"}, "password": {testPassword}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("the right password after the lock: %d, want 401", resp.StatusCode)
		}
	})
}

// postFrom is post as if from the network address addr (the peer the
// server sees), with extra headers; it goes to the handler directly.
func (c *client) postFrom(addr, path string, form url.Values, header http.Header) (*http.Response, string) {
	c.h.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf())
	}
	req := httptest.NewRequest(http.MethodPost, c.h.ts.URL+path, strings.NewReader(form.Encode()))
	req.RemoteAddr = addr
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	base, _ := url.Parse(c.h.ts.URL)
	for _, ck := range c.http.Jar.Cookies(base) {
		req.AddCookie(ck)
	}
	w := httptest.NewRecorder()
	c.h.srv.Handler().ServeHTTP(w, req)
	resp := w.Result()
	c.http.Jar.SetCookies(base, resp.Cookies())
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// delays returns what the server asked to sleep since mark, and a new mark.
func (h *harness) delays(mark int) ([]time.Duration, int) {
	h.sleptMu.Lock()
	defer h.sleptMu.Unlock()
	return slices.Clone(h.slept[mark:]), len(h.slept)
}

// TestUnknownNameSlowsLikeAccount: a guesser who changes address at every
// attempt (a new Tor circuit) and fails a real account and a name that is
// no account alike gets the same refusal after the same delays from
// both, through the slow-down, the lock and past its end; so does a
// disabled account (issue 12, item 7).
func TestUnknownNameSlowsLikeAccount(t *testing.T) {
	h := newHarness(t)
	h.user("real", model.RoleAnalyst)
	off := h.user("disabled", model.RoleAnalyst)
	off, _ = h.st.GetUser(context.Background(), off.ID)
	off.Disabled = true
	if err := h.st.UpdateUser(context.Background(), "test", off); err != nil {
		t.Fatal(err)
	}
	c := h.anonymous()
	c.get("/login")
	addr := 0
	try := func(name string) ([]time.Duration, string) {
		t.Helper()
		addr++
		_, mark := h.delays(0)
		resp, body := c.postFrom(fmt.Sprintf("198.51.100.%d:4000", addr%250), "/login",
			url.Values{"username": {name}, "password": {"a wrong password"}}, nil)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("%s: %d", name, resp.StatusCode)
		}
		d, _ := h.delays(mark)
		return d, body[strings.Index(body, "<main"):]
	}
	start := h.now
	for i := range 2*account.LockAfter + 3 {
		h.now = start.Add(time.Duration(i) * 4 * time.Minute) // passes the end of the lock
		real, realPage := try("real")
		for _, other := range []string{"no-such-user", "disabled"} {
			got, page := try(other)
			if !slices.Equal(got, real) || sameCSRF(strings.ReplaceAll(page, other, "real")) != sameCSRF(realPage) {
				t.Fatalf("attempt %d: %q slept %v, the real account %v; pages equal: %v", i, other, got, real,
					strings.ReplaceAll(page, other, "real") == realPage)
			}
		}
		if i == account.LockAfter && real[0] == 0 {
			t.Fatal("no slow-down after failures: the test shows nothing")
		}
	}
}

// TestSharedAddressLocksNoOneOut: many wrong passwords from one address
// (everyone behind a Tor exit or a proxy has it) against many accounts,
// none of them up to its lock, do not keep another user of that address
// from signing in (issue 12, item 7).
func TestSharedAddressLocksNoOneOut(t *testing.T) {
	h := newHarness(t)
	h.user("victim", model.RoleAnalyst)
	c := h.anonymous()
	c.get("/login")
	for i := range 3 * account.LockAfter {
		name := fmt.Sprintf("user%d", i%(account.LockAfter))
		if i < account.LockAfter {
			h.user(name, model.RoleDocumenter)
		}
		if resp, _ := c.post("/login", url.Values{"username": {name}, "password": {"a wrong password"}}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i, resp.StatusCode)
		}
	}
	if d, _ := h.delays(0); d[len(d)-1] <= d[0] {
		t.Errorf("failures from one address did not slow it down: %v", d)
	}
	signIn(t, h, h.anonymous(), "victim")
}

// TestClientAddress: X-Forwarded-For is believed only from a trusted
// proxy, and then its rightmost address that is not itself a trusted
// proxy is the client (a client can put anything on the left).
func TestClientAddress(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	for _, tc := range []struct {
		peer, xff string
		trusted   []netip.Prefix
		want      string
	}{
		{"192.0.2.1:5000", "", trusted, "192.0.2.1"},
		{"192.0.2.1:5000", "198.51.100.7", trusted, "192.0.2.1"}, // not from a proxy: ignored
		{"192.0.2.1:5000", "198.51.100.7", nil, "192.0.2.1"},
		{"10.0.0.2:5000", "198.51.100.7", nil, "10.0.0.2"}, // no proxy trusted
		{"10.0.0.2:5000", "", trusted, "10.0.0.2"},
		{"10.0.0.2:5000", "198.51.100.7", trusted, "198.51.100.7"},
		{"10.0.0.2:5000", "203.0.113.66, 198.51.100.7", trusted, "198.51.100.7"}, // the left is the client's to forge
		{"10.0.0.2:5000", "198.51.100.7, 10.0.0.9", trusted, "198.51.100.7"},     // through two proxies
		{"[::1]:5000", "2001:db8::5", trusted, "2001:db8::5"},
		{"10.0.0.2:5000", "10.0.0.3, 10.0.0.9", trusted, "10.0.0.3"}, // only proxies: the first
		{"10.0.0.2:5000", "not an address", trusted, "10.0.0.2"},
		{"10.0.0.2:5000", "198.51.100.7, garbage", trusted, "10.0.0.2"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tc.peer
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := clientAddr(r, tc.trusted); got != tc.want {
			t.Errorf("peer %s, X-Forwarded-For %q, %d trusted: %q, want %q", tc.peer, tc.xff, len(tc.trusted), got, tc.want)
		}
	}
}

// TestForwardedForFromTrustedProxy: behind a trusted proxy (the harness
// connects from 127.0.0.1) failures slow down the client that
// X-Forwarded-For names, not every client of the proxy; without
// --trusted-proxy the header changes nothing.
func TestForwardedForFromTrustedProxy(t *testing.T) {
	for _, trust := range []bool{true, false} {
		var buf lockedBuffer
		h := newHarnessWith(t, func(o *Options) {
			if trust {
				o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
			}
			o.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		})
		c := h.anonymous()
		c.get("/login")
		fail := func(client string, i int) time.Duration {
			_, mark := h.delays(0)
			resp, _ := c.postFrom("127.0.0.1:4000", "/login", url.Values{"username": {fmt.Sprint("nobody", i)},
				"password": {"wrong"}}, http.Header{"X-Forwarded-For": {client}})
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("%d", resp.StatusCode)
			}
			d, _ := h.delays(mark)
			return d[0]
		}
		for i := range account.SlowAfter + 2 {
			fail("198.51.100.7", i)
		}
		other := fail("203.0.113.9", 99)
		if trust && other != 0 {
			t.Errorf("trusted proxy: another client behind it was slowed down by %v", other)
		}
		if !trust && other == 0 {
			t.Errorf("untrusted X-Forwarded-For was believed")
		}
		for _, addr := range []string{"198.51.100.7", "203.0.113.9", "127.0.0.1"} {
			if strings.Contains(buf.String(), addr) {
				t.Errorf("the log holds the client address %s:\n%s", addr, buf.String())
			}
		}
	}
}

// halfway returns a client holding a password-verified session of u, its
// second factor still to give (made directly, as as does).
func (h *harness) halfway(u *model.User) *client {
	h.t.Helper()
	c := h.as(u)
	c.sess.Verified = false
	if err := h.st.UpdateSession(context.Background(), c.sess); err != nil {
		h.t.Fatal(err)
	}
	return c
}

// TestDisabledAccountRefusedByPolicy: every route that needs a session
// refuses a disabled account's session, full or half-way, sends it to
// sign in and ends the session; the route policy does it, whatever the
// handlers and the sign-in check (issue 12, item 9a).
func TestDisabledAccountRefusedByPolicy(t *testing.T) {
	h := newHarness(t)
	u := h.user("gone", model.RoleAdmin) // the role that reaches the most routes
	u, _ = h.st.GetUser(context.Background(), u.ID)
	u.Disabled = true
	if err := h.st.UpdateUser(context.Background(), "test", u); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{[^}]+\}`)
	checked := 0
	for _, rt := range h.srv.Routes() {
		// The API takes no session (TestAPIIgnoresCookies); a disabled
		// account's tokens open nothing (tokens.TestTokenLife).
		if rt.Policy == public.name || rt.pol.token {
			continue
		}
		method, path, _ := strings.Cut(rt.Pattern, " ")
		path = strings.ReplaceAll(path, "{$}", "")
		path = param.ReplaceAllString(path, "0193b4c2-0000-7000-8000-000000000000")
		for _, c := range []*client{h.as(u), h.halfway(u)} {
			var resp *http.Response
			if method == http.MethodGet {
				resp, _ = c.get(path)
			} else {
				resp, _ = c.post(path, url.Values{"code": {code(h.now)}, "password": {testPassword}})
			}
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
				t.Errorf("%s, disabled account (verified %v): %d → %q, want 303 → /login", rt.Pattern, c.sess.Verified,
					resp.StatusCode, resp.Header.Get("Location"))
			}
			if _, err := h.st.GetSession(context.Background(), c.sess.TokenHash); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: a disabled account's session was not ended: %v", rt.Pattern, err)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Fatalf("only %d routes checked", checked)
	}
}

// TestDisabledAccountCannotSignIn: the right password and code of a
// disabled account get the refusal a wrong password gets.
func TestDisabledAccountCannotSignIn(t *testing.T) {
	h := newHarness(t)
	u := h.user("gone", model.RoleAnalyst)
	u, _ = h.st.GetUser(context.Background(), u.ID)
	u.Disabled = true
	if err := h.st.UpdateUser(context.Background(), "test", u); err != nil {
		t.Fatal(err)
	}
	c := h.anonymous()
	c.get("/login")
	resp, body := c.post("/login", url.Values{"username": {"gone"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Sign-in refused") {
		t.Errorf("a disabled account's right password: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if tok := sessionToken(c); tok != "" {
		t.Error("a disabled account got a session")
	}
}

// failingSessions is a store whose DeleteSession fails while fails > 0.
type failingSessions struct {
	store.Store
	fails, calls atomic.Int32
}

func (f *failingSessions) DeleteSession(ctx context.Context, tokenHash string) error {
	f.calls.Add(1)
	if f.fails.Add(-1) >= 0 {
		return errors.New("database is locked")
	}
	return f.Store.DeleteSession(ctx, tokenHash)
}

// TestLogoutWhenSessionDeleteFails: sign-out retries a failed delete; if
// it never succeeds, the page says so and offers to try again, the
// browser keeps its cookie (so it can), and a later try ends the session
// (issue 12, item 10a).
func TestLogoutWhenSessionDeleteFails(t *testing.T) {
	var fs *failingSessions
	h := newHarnessWith(t, func(o *Options) {
		fs = &failingSessions{Store: o.Store}
		o.Store = fs
	})
	u := h.user("leaving", model.RoleAnalyst)

	c := h.as(u)
	fs.fails.Store(2) // a brief failure: the retries get through
	if resp, _ := c.post("/logout", nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("logout after two failed deletes: %d", resp.StatusCode)
	}
	if _, err := h.st.GetSession(context.Background(), c.sess.TokenHash); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the session survived sign-out: %v", err)
	}

	c = h.as(u)
	fs.fails.Store(1000)
	fs.calls.Store(0)
	resp, body := c.post("/logout", nil)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "Sign-out did not finish") ||
		!strings.Contains(body, `action="/logout"`) {
		t.Errorf("logout with a failing store: %d, want 503 and a page that says so with a sign-out button", resp.StatusCode)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			t.Errorf("the session cookie was dropped though the session lives: %+v", ck)
		}
	}
	if resp.Header.Get("Clear-Site-Data") != "" {
		t.Error("Clear-Site-Data sent though the session lives")
	}
	if n := fs.calls.Load(); n < 2 {
		t.Errorf("the delete was tried %d times, want retries", n)
	}
	if _, err := h.st.GetSession(context.Background(), c.sess.TokenHash); err != nil {
		t.Fatalf("the session is gone though the delete failed: %v", err)
	}
	fs.fails.Store(0)
	if resp, _ := c.post("/logout", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout again once the store works: %d", resp.StatusCode)
	}
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the session still works after sign-out: %d", resp.StatusCode)
	}
}

// TestParallelRecoveryCode: one recovery code sent from eight
// half-signed-in browsers at once signs in one of them (issue 12, item 6).
func TestParallelRecoveryCode(t *testing.T) {
	onBothBackends(t, func(o *Options) { o.Active = 16 }, func(t *testing.T, h *harness) {
		u := h.user("recovering", model.RoleAnalyst)
		codes, hashes := account.RecoveryCodes(8)
		u, _ = h.st.GetUser(context.Background(), u.ID)
		u.RecoveryCodes = hashes
		if err := h.st.UpdateUser(context.Background(), "test", u); err != nil {
			t.Fatal(err)
		}
		for round := range 8 {
			// The losers' tries count as failures: start each round afresh.
			if err := h.st.SetLoginState(context.Background(), u.ID, 0, nil); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			statuses := make([]int, 8)
			errs := make([]error, 8)
			for i := range statuses {
				c := h.halfway(u)
				wg.Go(func() { statuses[i], _, errs[i] = c.postAsync("/login/totp", url.Values{"recovery": {codes[round]}}) })
			}
			wg.Wait()
			signedIn := 0
			for i := range statuses {
				if errs[i] != nil {
					t.Fatal(errs[i])
				}
				if statuses[i] == http.StatusSeeOther {
					signedIn++
				}
			}
			if signedIn != 1 {
				t.Fatalf("round %d: one recovery code signed in %d browsers (statuses %v)", round, signedIn, statuses)
			}
		}
	})
}

// TestPanicWipeWhileLocked: someone guessing the admin's password at the
// sign-in page locks the account; the signed-in admin can still wipe in
// an emergency with the right password, but a wrong one, which is then
// not counted, ends the session.
func TestPanicWipeWhileLocked(t *testing.T) {
	h := newHarness(t)
	_, _, calls := panicSetup(t, h)
	admin := h.user("admin1", model.RoleAdmin)
	c, guesser := h.as(admin), h.anonymous()
	guesser.get("/login")
	for i := range account.LockAfter {
		guesser.post("/login", url.Values{"username": {"admin1"}, "password": {fmt.Sprint("guess ", i)}})
	}
	if got, _ := h.st.GetUser(context.Background(), admin.ID); got.LockedUntil == nil {
		t.Fatal("the account is not locked: the test shows nothing")
	}
	other := h.as(admin)
	if resp, _ := other.post("/admin/panic", url.Values{"password": {"a wrong guess"}, "phrase": {panicPhrases["en"]}}); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("a wrong password while locked: %d → %q, want the session ended", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, err := h.st.GetSession(context.Background(), other.sess.TokenHash); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the session survived a wrong password while locked: %v", err)
	}
	if resp, _ := c.post("/admin/panic", url.Values{"password": {testPassword}, "phrase": {panicPhrases["en"]}}); resp.StatusCode != http.StatusGone || *calls != 1 {
		t.Errorf("the right password while locked: %d, %d wipes; want 410 and one", resp.StatusCode, *calls)
	}
}
