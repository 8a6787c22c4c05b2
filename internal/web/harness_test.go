package web

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/evidence"
	"github.com/rasd-project/rasd/internal/kdf"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/vault"
)

func init() { kdf.LowerForTests() }

// harness is a real server over a real encrypted SQLite store, for the
// web tests. Its clock can be moved.
type harness struct {
	t   testing.TB
	st  store.Store
	srv *Server
	ts  *httptest.Server
	now time.Time
	dir string            // the data directory
	ev  *evidence.Service // its evidence folder
	// portal says the server serves the public portal at / (Options.Portal).
	portal bool
	// slept records the delays the server asked for, in order.
	slept   []time.Duration
	sleptMu sync.Mutex // requests in parallel sleep in parallel
}

func newHarness(t testing.TB) *harness { return newHarnessWith(t, nil) }

// newHarnessWith is newHarness with the options changed by opt first.
func newHarnessWith(t testing.TB, opt func(*Options)) *harness {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	dir := t.TempDir()
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, sqlite.FileName), key, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return newHarnessOn(t, st, dir, opt)
}

// newHarnessOn is newHarnessWith over a store already open (signin_test.go
// opens PostgreSQL).
func newHarnessOn(t testing.TB, st store.Store, dir string, opt func(*Options)) *harness {
	t.Helper()
	var err error
	h := &harness{t: t, st: st, now: time.Now(), dir: dir}
	secret := make([]byte, 32)
	rand.Read(secret)
	if h.ev, err = evidence.New(dir, st, secret); err != nil {
		t.Fatal(err)
	}
	o := Options{Store: st, SecretKey: secret, Now: func() time.Time { return h.now }, Evidence: h.ev,
		Insecure: true, Logger: discardLogger(), Sleep: func(d time.Duration) {
			h.sleptMu.Lock()
			defer h.sleptMu.Unlock()
			h.slept = append(h.slept, d)
		}}
	if opt != nil {
		opt(&o)
	}
	h.portal = o.Portal != nil
	h.srv, err = New(o)
	if err != nil {
		t.Fatal(err)
	}
	h.ts = httptest.NewServer(h.srv.Handler())
	t.Cleanup(h.ts.Close)
	return h
}

// testTOTPSecret is the authenticator secret of every harness user.
const testTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// testPassword is every harness user's password.
const testPassword = "a long test password"

// user creates an enrolled account with the given role.
func (h *harness) user(name, role string) *model.User {
	h.t.Helper()
	u := &model.User{Username: name, Role: role, Lang: "en", PasswordHash: account.HashPassword(testPassword)}
	if err := h.st.CreateUser(context.Background(), "test", u); err != nil {
		h.t.Fatal(err)
	}
	u.TOTPSealed = vault.Seal(h.srv.totpKey, []byte(testTOTPSecret), "totp "+u.ID)
	if err := h.st.UpdateUser(context.Background(), "test", u); err != nil {
		h.t.Fatal(err)
	}
	return u
}

// client is a browser without JavaScript: a cookie jar and forms.
type client struct {
	h      *harness
	http   *http.Client
	sess   *model.Session
	bearer string // an API token, sent on every request
}

// anonymous is a client with no session.
func (h *harness) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	return &client{h: h, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// as returns a client signed in as u (a verified session made directly).
func (h *harness) as(u *model.User) *client {
	h.t.Helper()
	c := h.anonymous()
	tok := randomToken()
	sess := &model.Session{TokenHash: hashToken(tok), UserID: u.ID, CSRF: randomToken(), Verified: true,
		CreatedAt: h.now, LastSeen: h.now, ExpiresAt: h.now.Add(time.Hour)}
	if err := h.st.CreateSession(context.Background(), sess); err != nil {
		h.t.Fatal(err)
	}
	base, _ := url.Parse(h.ts.URL)
	c.http.Jar.SetCookies(base, []*http.Cookie{{Name: sessionCookie, Value: tok, Path: "/"}})
	c.sess = sess
	return c
}

// csrf is the token this client's forms carry.
func (c *client) csrf() string {
	req := &request{sess: c.sess}
	if c.sess == nil {
		base, _ := url.Parse(c.h.ts.URL)
		for _, ck := range c.http.Jar.Cookies(base) {
			if ck.Name == preCookie {
				req.pre = ck.Value
			}
		}
	}
	return c.h.srv.csrfToken(req)
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.h.t.Helper()
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// send is an API request without a body.
func (c *client) send(method, path string) (*http.Response, string) {
	req, _ := http.NewRequest(method, c.h.ts.URL+path, nil)
	return c.do(req)
}

// token makes a personal access token of u's.
func (h *harness) token(u *model.User, scope string) string {
	h.t.Helper()
	secret, _, err := h.srv.tokens.Create(context.Background(), u, "test", scope, 30)
	if err != nil {
		h.t.Fatal(err)
	}
	return secret
}

func (c *client) get(path string) (*http.Response, string) {
	req, _ := http.NewRequest(http.MethodGet, c.h.ts.URL+path, nil)
	return c.do(req)
}

// post submits a form, adding the CSRF token unless the form has one.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf())
	}
	req, _ := http.NewRequest(http.MethodPost, c.h.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

var csrfValue = regexp.MustCompile(`name="csrf" value="[0-9a-f]*"`)

// sameCSRF is a page with its CSRF tokens blanked: they are masked afresh
// for every response (csrfToken), so two draws of one page differ there.
func sameCSRF(body string) string { return csrfValue.ReplaceAllString(body, `name="csrf" value="…"`) }
