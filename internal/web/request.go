package web

import (
	"errors"
	"net/http"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// request is what a handler works with.
type request struct {
	w    http.ResponseWriter
	r    *http.Request
	user *model.User    // nil until signed in
	sess *model.Session // nil without a session
	lang string
	pre  string // pre-session CSRF binding (login form)
}

type handler func(*request) error

func (s *Server) newRequest(w http.ResponseWriter, r *http.Request) *request {
	return &request{w: w, r: r, lang: langFrom(r)}
}

// langFrom picks the language before sign-in: the lang cookie, then the
// browser's preference (Accept-Language), then the fallback.
func langFrom(r *http.Request) string {
	if c, err := r.Cookie("lang"); err == nil {
		return i18n.Lang(c.Value)
	}
	return locale.Match(r.Header.Get("Accept-Language"))
}

// digitsChoice is the browser's choice of digits (the digits cookie:
// "arab" or "latn"), or "" when none was made.
func digitsChoice(r *http.Request) string {
	if c, err := r.Cookie("digits"); err == nil {
		return c.Value
	}
	return ""
}

// httpError is an error with a status and a message key for the page.
type httpError struct {
	status int
	key    string
}

func (e *httpError) Error() string { return e.key }

var (
	errNotFound  = &httpError{http.StatusNotFound, "error.not_found"}
	errForbidden = &httpError{http.StatusForbidden, "error.forbidden"}
	errCSRF      = &httpError{http.StatusForbidden, "error.csrf"}
	errSignIn    = &httpError{http.StatusSeeOther, "/login"}
	errBadForm   = &httpError{http.StatusBadRequest, "error.bad_form"}
)

// errRedirect sends the browser elsewhere with 303 See Other.
type errRedirect string

func (e errRedirect) Error() string { return string(e) }

// fail answers with the error's page, or a redirect.
func (s *Server) fail(req *request, err error) {
	var he *httpError
	var rd errRedirect
	switch {
	case errors.As(err, &rd):
		http.Redirect(req.w, req.r, string(rd), http.StatusSeeOther)
	case errors.Is(err, errSignIn):
		http.Redirect(req.w, req.r, "/login", http.StatusSeeOther)
	case s.logRefused(err): // an account or key refused as tampered is absent
		s.render(req, errNotFound.status, "error", map[string]any{"Message": errNotFound.key})
	case errors.As(err, &he):
		s.render(req, he.status, "error", map[string]any{"Message": he.key})
	case errors.Is(err, store.ErrQueryNoWords):
		s.render(req, http.StatusBadRequest, "error", map[string]any{"Message": "search.error.no_words"})
	case errors.Is(err, store.ErrQueryTooLong):
		s.render(req, http.StatusBadRequest, "error", map[string]any{"Message": "search.error.too_long",
			"Text": i18n.T(req.lang, "search.error.too_long", store.MaxQueryTerms, store.MaxQueryLen)})
	default:
		s.logErr("handler", err)
		s.render(req, http.StatusInternalServerError, "error", map[string]any{"Message": "error.internal"})
	}
}
