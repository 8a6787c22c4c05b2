package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/rasd-project/rasd/internal/model"
)

const (
	sessionCookie = "rasd_session"
	preCookie     = "rasd_pre"
	touchEvery    = time.Minute // write last_seen at most this often
)

func randomToken() string {
	b := make([]byte, 32) // 256 bits
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte("rasd session " + t))
	return hex.EncodeToString(sum[:])
}

func (s *Server) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: !s.opts.Insecure, SameSite: http.SameSiteStrictMode}
}

// loadSession finds the request's session and user, ending sessions that
// are expired, idle too long, or whose user was disabled.
func (s *Server) loadSession(req *request) {
	if c, err := req.r.Cookie(preCookie); err == nil {
		req.pre = c.Value
	}
	c, err := req.r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return
	}
	ctx := req.r.Context()
	sess, u, err := s.st.GetSessionUser(ctx, hashToken(c.Value))
	if err != nil {
		s.logRefused(err) // a tampered session or account is no session
		return
	}
	now := s.now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeen) > s.opts.IdleTimeout {
		s.held.drop(sess.TokenHash)
		s.st.DeleteSession(ctx, sess.TokenHash)
		return
	}
	if u.Disabled {
		s.held.drop(sess.TokenHash)
		s.st.DeleteSession(ctx, sess.TokenHash)
		return
	}
	if now.Sub(sess.LastSeen) > touchEvery {
		sess.LastSeen = now
		s.st.UpdateSession(ctx, sess)
	}
	req.sess, req.user, req.lang = sess, u, u.Lang
}

// startSession replaces any session the browser had with a new token
// (no session fixation) for u.
func (s *Server) startSession(req *request, u *model.User, verified bool) error {
	ctx := req.r.Context()
	tok, now := randomToken(), s.now()
	sess := &model.Session{TokenHash: hashToken(tok), UserID: u.ID, CSRF: randomToken(), Verified: verified,
		CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(s.opts.MaxAge)}
	if err := s.st.CreateSession(ctx, sess); err != nil {
		return err
	}
	if req.sess != nil {
		s.st.DeleteSession(ctx, req.sess.TokenHash)
		s.held.move(req.sess.TokenHash, sess.TokenHash, sess.ExpiresAt) // the key follows the sign-in
	}
	http.SetCookie(req.w, s.cookie(sessionCookie, tok, 0))
	req.sess, req.user = sess, u
	return nil
}

// csrfToken is the token forms carry: a MAC of the session's CSRF secret,
// or before sign-in of the pre-session cookie, set here when missing.
func (s *Server) csrfToken(req *request) string {
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
	return hex.EncodeToString(m.Sum(nil))
}

// checkCSRF compares the form's token with the expected one in constant
// time. A request without a binding (no session, no pre-cookie) fails.
func (s *Server) checkCSRF(req *request) bool {
	if req.sess == nil && req.pre == "" {
		return false
	}
	got := req.r.PostFormValue("csrf")
	want := s.csrfToken(req)
	return hmac.Equal([]byte(got), []byte(want))
}
