package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/rasd-project/rasd/internal/accounts"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

const (
	sessionCookie = "rasd_session"
	preCookie     = "rasd_pre"
)

func randomToken() string { return accounts.NewToken() }

func (s *Server) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: !s.opts.Insecure, SameSite: http.SameSiteStrictMode}
}

// loadSession finds the request's session and user (accounts.Resume ends
// sessions that are expired or idle too long). Whether the user may use
// the session (a disabled account may not) is the route policy's to say:
// authorise.
func (s *Server) loadSession(req *request) error {
	if c, err := req.r.Cookie(preCookie); err == nil {
		req.pre = c.Value
	}
	c, err := req.r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	r, err := s.acc.Resume(req.r.Context(), c.Value)
	if errors.Is(err, store.ErrTampered) {
		s.logRefused(err) // a tampered session or account is no session
		return nil
	}
	if err != nil {
		return err
	}
	if r.Ended != "" {
		s.forget(r.Ended)
	}
	s.logErr("a session was not kept up to date", r.Trouble)
	if r.Session == nil {
		return nil
	}
	req.sess, req.user, req.lang = r.Session, r.User, r.User.Lang
	return nil
}

// waiter is how the account rules wait during a request: without holding
// its place in the queue (admit.go).
func (s *Server) waiter(req *request) func(time.Duration) {
	return func(d time.Duration) { s.sleep(req, d) }
}

// deleteSession ends a session, with retries (accounts.End): a session
// that was meant to end and did not keeps its token valid.
func (s *Server) deleteSession(req *request, tokenHash string) error {
	return s.acc.End(req.r.Context(), tokenHash, s.waiter(req))
}

// startSession replaces any session the browser had with a new token
// (no session fixation) for u. If the old session cannot be ended, the
// browser keeps it and gets no new one.
func (s *Server) startSession(req *request, u *model.User, verified bool) error {
	old := ""
	if req.sess != nil {
		old = req.sess.TokenHash
	}
	tok, sess, err := s.acc.Start(req.r.Context(), u, verified, old, s.waiter(req))
	if err != nil {
		return err
	}
	if old != "" {
		s.held.move(old, sess.TokenHash, sess.ExpiresAt) // the key follows the sign-in
	}
	http.SetCookie(req.w, s.cookie(sessionCookie, tok, 0))
	req.sess, req.user = sess, u
	return nil
}

// csrfToken is the token forms carry: csrfMAC, masked afresh with a
// random pad each time (a response's forms share one), so that no two
// responses hold the same secret bytes for compression to reveal (BREACH,
// compress.go).
func (s *Server) csrfToken(req *request) string {
	mac := s.csrfMAC(req)
	pad := make([]byte, len(mac))
	rand.Read(pad)
	out := slices.Clone(pad)
	for i := range mac {
		out = append(out, pad[i]^mac[i])
	}
	return hex.EncodeToString(out)
}

// unmaskCSRF undoes csrfToken's mask; nil for a token not of its form.
func unmaskCSRF(token string) []byte {
	b, err := hex.DecodeString(token)
	if err != nil || len(b) != 2*sha256.Size {
		return nil
	}
	pad, masked := b[:sha256.Size], b[sha256.Size:]
	for i := range masked {
		masked[i] ^= pad[i]
	}
	return masked
}

// csrfMAC binds forms to the session: a MAC of the session's CSRF secret,
// or before sign-in of the pre-session cookie, set here when missing.
func (s *Server) csrfMAC(req *request) []byte {
	bind := ""
	if req.sess != nil {
		bind = "session " + req.sess.CSRF
	} else {
		if req.pre == "" {
			req.pre = randomToken()
			http.SetCookie(req.w, s.cookie(preCookie, req.pre, 3600))
		}
		bind = "pre " + req.pre
	}
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte("rasd csrf " + bind))
	return m.Sum(nil)
}

// checkCSRF compares the form's token with the expected one in constant
// time. A request without a binding (no session, no pre-cookie) fails.
func (s *Server) checkCSRF(req *request) bool {
	if req.sess == nil && req.pre == "" {
		return false
	}
	got := unmaskCSRF(req.r.PostFormValue("csrf"))
	return got != nil && hmac.Equal(got, s.csrfMAC(req))
}
