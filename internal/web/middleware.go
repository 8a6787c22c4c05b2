package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/store"
)

// csp allows no script at all: every task works without JavaScript.
const csp = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// headers sets the security headers on every response.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000")
		}
		// Only a found static asset may be cached; it says so itself.
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// notFoundFallback answers unknown paths with the rasd 404 page (and its
// headers) instead of the mux's plain text.
func (s *Server) notFoundFallback(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern == "" {
			req := s.newRequest(w, r)
			if err := s.loadSession(req); err != nil {
				s.fail(req, err)
				return
			}
			if s.authorise(req, signedIn) != nil { // the page then shows no account
				req.sess, req.user = nil, nil
			}
			s.fail(req, errNotFound)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}

// statusWriter remembers the status for the log line.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// wrap applies a route's policy, CSRF check and error handling. Logs name
// the route pattern, never the path or query (which may hold names) and
// never the client address.
func (s *Server) wrap(rt Route) http.Handler {
	if rt.raw != nil {
		return rt.raw
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		req := s.newRequest(sw, r)
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "route", rt.Pattern, "panic", panicText(p))
				s.fail(req, errors.New("internal error"))
			}
			s.log.Debug("request", "route", rt.Pattern, "status", sw.status, "ms", time.Since(start).Milliseconds())
		}()
		if err := s.loadSession(req); err != nil {
			if !rt.pol.public {
				s.fail(req, err)
				return
			}
			s.logErr("the session could not be read; a public page is served without it", err)
		}
		if err := s.authorise(req, rt.pol); err != nil {
			s.fail(req, err)
			return
		}
		if r.Method == http.MethodPost && !(rt.pol.upload && isMultipart(r)) && !s.checkCSRF(req) {
			s.fail(req, errCSRF)
			return
		}
		if err := rt.h(req); err != nil {
			s.fail(req, err)
		}
	})
}

// authorise applies a policy: public routes pass; every other route needs
// the session of an active account (a disabled one's session is ended
// here, so that no handler has to remember to check); half-signed-in
// routes need it password-verified; all others fully verified, of a role
// the policy allows.
func (s *Server) authorise(req *request, p policy) error {
	switch {
	case p.public:
		return nil
	case req.sess == nil || req.user == nil:
		return errSignIn
	case !access.Active(req.user):
		s.forget(req.sess.TokenHash)
		if err := s.deleteSession(req, req.sess.TokenHash); err != nil {
			return fmt.Errorf("end a disabled account's session: %w", err)
		}
		http.SetCookie(req.w, s.cookie(sessionCookie, "", -1))
		req.sess, req.user = nil, nil
		return errSignIn
	case p.halfway:
		if req.sess.Verified {
			return errRedirect(s.homePath())
		}
		return nil
	case !req.sess.Verified:
		return errSignIn
	case !p.allows(req.user):
		return errForbidden
	}
	return nil
}

// logRefused logs, in one line without names or tokens, a row the store
// refused as tampered (store.ErrTampered), and says whether err was one.
// The store's audit entry names the row.
func (s *Server) logRefused(err error) bool {
	if !errors.Is(err, store.ErrTampered) {
		return false
	}
	s.log.Warn("refused an account, session or key that fails its integrity check: the database was changed outside rasd " +
		"(the audit log names the row: action refuse:tampered)")
	return true
}

func (s *Server) logErr(msg string, err error) {
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.log.Error(msg, slog.String("error", err.Error()))
	}
}
