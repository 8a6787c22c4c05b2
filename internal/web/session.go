package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
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
// are expired or idle too long. Whether the user may use the session (a
// disabled account may not) is the route policy's to say: authorise.
func (s *Server) loadSession(req *request) error {
	if c, err := req.r.Cookie(preCookie); err == nil {
		req.pre = c.Value
	}
	c, err := req.r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	ctx := req.r.Context()
	sess, u, err := s.st.GetSessionUser(ctx, hashToken(c.Value))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		if errors.Is(err, store.ErrTampered) {
			s.logRefused(err) // a tampered session or account is no session
			return nil
		}
		return fmt.Errorf("read the session: %w", err)
	}
	now := s.now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeen) > s.opts.IdleTimeout {
		s.held.drop(sess.TokenHash)
		// Expiry is checked on every request, so the token opens nothing
		// even while its row stays; the row goes at its next use.
		if err := s.st.DeleteSession(ctx, sess.TokenHash); err != nil {
			s.logErr("an expired session was not deleted", err)
		}
		return nil
	}
	if now.Sub(sess.LastSeen) > touchEvery {
		sess.LastSeen = now
		// Unrecorded use makes the session time out early, never late.
		if err := s.st.UpdateSession(ctx, sess); err != nil {
			s.logErr("a session's last use was not recorded", err)
		}
	}
	req.sess, req.user, req.lang = sess, u, u.Lang
	return nil
}

// deleteSession ends a session in the store, trying again twice after a
// short wait: a session that was meant to end and did not keeps its token
// valid. It goes on if the browser leaves meanwhile.
func (s *Server) deleteSession(req *request, tokenHash string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(req.r.Context()), 10*time.Second)
	defer cancel()
	var err error
	for _, wait := range []time.Duration{0, 50 * time.Millisecond, 250 * time.Millisecond} {
		if wait > 0 {
			s.sleep(req, wait)
		}
		if err = s.st.DeleteSession(ctx, tokenHash); err == nil {
			return nil
		}
	}
	return fmt.Errorf("end the session (tried 3 times): %w", err)
}

// startSession replaces any session the browser had with a new token
// (no session fixation) for u. If the old session cannot be ended, the
// browser keeps it and gets no new one.
func (s *Server) startSession(req *request, u *model.User, verified bool) error {
	ctx := req.r.Context()
	tok, now := randomToken(), s.now()
	sess := &model.Session{TokenHash: hashToken(tok), UserID: u.ID, CSRF: randomToken(), Verified: verified,
		CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(s.opts.MaxAge)}
	if err := s.st.CreateSession(ctx, sess); err != nil {
		return fmt.Errorf("create the session: %w", err)
	}
	if req.sess != nil {
		if err := s.deleteSession(req, req.sess.TokenHash); err != nil {
			// The new token was never given out; its row is tidied if it can be.
			if derr := s.st.DeleteSession(ctx, sess.TokenHash); derr != nil {
				s.logErr("an unused new session was not deleted", derr)
			}
			return fmt.Errorf("replace the session: %w", err)
		}
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
