package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// TestTwoServers: two servers over one PostgreSQL database, each with its
// own store and connection pool as two `rasd serve` processes would
// have, and the keyring's secret in common, behave as one (docs/api.md,
// "Several servers"): sessions, sign-out, TOTP single use, lockouts, the
// slow-down of names and clients, and tokens' rate limits.
func TestTwoServers(t *testing.T) {
	db := teststores.Schema(t)
	secret := []byte(strings.Repeat("k", 32))
	var hs [2]*harness
	for i := range hs {
		st, err := postgres.Open(context.Background(), db, storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		hs[i] = newHarnessOn(t, st, t.TempDir(), func(o *Options) { o.SecretKey = secret })
		t.Cleanup(hs[i].ts.Close) // before the schema goes
	}
	a, b := hs[0], hs[1]
	b.now = a.now
	// on is a browser's view of the other server: the same cookies.
	on := func(h *harness, c *client) *client { return &client{h: h, http: c.http, sess: c.sess} }

	t.Run("slow-down counted across servers", func(t *testing.T) {
		c := a.anonymous()
		c.get("/login")
		var last []time.Duration
		for i := range 6 {
			h := hs[i%2]
			_, mark := h.delays(0)
			resp, _ := on(h, c).post("/login", url.Values{"username": {"nobody-here"}, "password": {"wrong"}})
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i+1, resp.StatusCode)
			}
			last, _ = h.delays(mark)
		}
		// Six failures in all, three on each: each server must wait as
		// for six.
		if len(last) != 1 || last[0] != account.Delay(6) || account.Delay(6) == account.Delay(3) {
			t.Fatalf("the sixth failure (on B) waited %v, want %v", last, account.Delay(6))
		}
	})

	u := a.user("zainab", model.RoleAnalyst)
	t.Run("a session and its end", func(t *testing.T) {
		c := a.anonymous()
		signIn(t, a, c, "zainab")
		if resp, body := on(b, c).get("/"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "zainab") {
			t.Fatalf("signed in on A, B answers %d", resp.StatusCode)
		}
		if resp, _ := on(b, c).post("/logout", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-out on B: %d", resp.StatusCode)
		}
		if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
			t.Fatalf("signed out on B, A answers %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("a TOTP code works once", func(t *testing.T) {
		a.now, b.now = a.now.Add(time.Minute), a.now.Add(time.Minute) // a step no test used
		c1 := a.anonymous()
		signIn(t, a, c1, "zainab")
		c2 := b.anonymous()
		c2.get("/login")
		if resp, _ := c2.post("/login", url.Values{"username": {"zainab"}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("password on B: %d", resp.StatusCode)
		}
		c2.sess, _ = b.st.GetSession(context.Background(), hashToken(sessionToken(c2)))
		if resp, _ := c2.post("/login/totp", url.Values{"code": {code(b.now)}}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("the code A accepted, again on B: %d", resp.StatusCode)
		}
	})

	t.Run("a lockout holds on both", func(t *testing.T) {
		a.user("locked", model.RoleAnalyst)
		c := a.anonymous()
		c.get("/login")
		for i := range account.LockAfter {
			on(hs[i%2], c).post("/login", url.Values{"username": {"locked"}, "password": {"wrong"}})
		}
		for _, h := range hs {
			if resp, _ := on(h, c).post("/login", url.Values{"username": {"locked"}, "password": {testPassword}}); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("the right password after %d failures across servers: %d", account.LockAfter, resp.StatusCode)
			}
		}
	})

	t.Run("a token's rate", func(t *testing.T) {
		a.srv.tokens.PerMinute, b.srv.tokens.PerMinute = 3, 3
		tok := a.token(u, model.ScopeRead)
		get := func(h *harness) int {
			c := h.anonymous()
			c.bearer = tok
			resp, _ := c.get("/api/v1/vocabularies")
			return resp.StatusCode
		}
		for i, h := range []*harness{a, b, a} {
			if s := get(h); s != http.StatusOK {
				t.Fatalf("request %d: %d", i+1, s)
			}
		}
		if s := get(b); s != http.StatusTooManyRequests {
			t.Fatalf("the fourth request in a minute, on B: %d", s)
		}
	})
}
