package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/accounts"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/store"
)

const enrolCookie = "rasd_enrol"

func (s *Server) loginForm(req *request) error {
	if req.sess != nil && req.sess.Verified {
		return errRedirect(s.homePath())
	}
	s.render(req, http.StatusOK, "login", map[string]any{})
	return nil
}

// login checks the password (accounts.SignIn). Every refusal says the
// same thing after the same work, so the page does not reveal whether a
// name exists, is disabled or is locked.
func (s *Server) login(req *request) error {
	name := strings.TrimSpace(req.r.PostFormValue("username"))
	res, err := s.acc.SignIn(req.r.Context(), name, req.r.PostFormValue("password"))
	if res.Tampered {
		s.logRefused(store.ErrTampered) // refused like an unknown name
	}
	if err != nil {
		return err
	}
	if !res.OK {
		s.refused(req, res.Verdict)
		s.render(req, http.StatusUnauthorized, "login", map[string]any{"Error": "login.refused", "Username": name})
		return nil
	}
	u := res.User
	// A language chosen on this browser (on the sign-in page, say) is the
	// account's from now on: signing in does not switch it back.
	if c, err := req.r.Cookie("lang"); err == nil && i18n.Lang(c.Value) == c.Value && c.Value != u.Lang {
		if err := s.acc.SetLanguage(req.r.Context(), u.Username, u, c.Value); err != nil {
			return err
		}
	}
	if res.KeyErr != nil {
		// Signing in still works; restricted fields stay closed.
		s.log.Warn("the account's private key did not open with its password", slog.String("error", res.KeyErr.Error()))
	}
	if err := s.startSession(req, u, false); err != nil {
		clear(res.Key)
		return err
	}
	if res.Key != nil {
		s.held.put(req.sess.TokenHash, u.ID, res.Key, req.sess.ExpiresAt, s.now())
	}
	if !u.Enrolled() {
		return errRedirect("/enrol")
	}
	return errRedirect("/login/totp")
}

// refused answers a password or code refused under the lockout rule: a
// log line if it locked the account, and the wait its failures, or its
// client's, call for. The client's count only ever slows (see
// account.Clients): it never refuses.
func (s *Server) refused(req *request, v accounts.Verdict) {
	if v.JustLocked {
		s.log.Warn("account locked after repeated failures") // no name: logs hold no personal data
	}
	client, err := s.acc.FailClient(req.r.Context(), clientAddr(req.r, s.opts.TrustedProxies))
	s.logErr("a client's failure was not counted", err)
	s.sleep(req, account.Delay(max(v.Failures, client)))
}

func (s *Server) totpForm(req *request) error {
	if !req.user.Enrolled() {
		return errRedirect("/enrol")
	}
	s.render(req, http.StatusOK, "totp", map[string]any{})
	return nil
}

// totp accepts a current code once, or an unused recovery code
// (accounts.SecondFactor); a locked account's half-way session ends.
func (s *Server) totp(req *request) error {
	u := req.user
	if !u.Enrolled() {
		return errRedirect("/enrol")
	}
	v, err := s.acc.SecondFactor(req.r.Context(), u, req.r.PostFormValue("code"), req.r.PostFormValue("recovery"))
	if err != nil {
		return err
	}
	if !v.OK {
		s.refused(req, v)
		if v.Locked {
			return s.endHalfway(req)
		}
		s.render(req, http.StatusUnauthorized, "totp", map[string]any{"Error": "totp.refused"})
		return nil
	}
	s.logErr("a client's failures were not forgotten", s.acc.ForgetClient(req.r.Context(), clientAddr(req.r, s.opts.TrustedProxies)))
	if err := s.startSession(req, u, true); err != nil {
		return err
	}
	return errRedirect(s.homePath())
}

// endHalfway signs a half-signed-in browser out (locked account).
func (s *Server) endHalfway(req *request) error {
	s.forget(req.sess.TokenHash)
	if err := s.deleteSession(req, req.sess.TokenHash); err != nil {
		return err
	}
	http.SetCookie(req.w, s.cookie(sessionCookie, "", -1))
	s.render(req, http.StatusUnauthorized, "login", map[string]any{"Error": "login.refused"})
	return nil
}

// enrolForm shows a new TOTP secret. The pending secret travels sealed in
// a cookie until the user proves they stored it by giving a code.
func (s *Server) enrolForm(req *request) error {
	if req.user.Enrolled() {
		return errRedirect("/login/totp")
	}
	e, err := s.acc.NewEnrolment(req.user)
	if err != nil {
		return err
	}
	http.SetCookie(req.w, s.cookie(enrolCookie, encode(e.Pending), 900))
	req.secret() // the page holds the authenticator secret: never compressed (compress.go)
	s.render(req, http.StatusOK, "enrol", map[string]any{"Secret": groupSecret(e.Secret), "URI": e.URI,
		"QR": qrSVG(e.URI, i18n.T(req.lang, "enrol.qr"))})
	return nil
}

func (s *Server) enrol(req *request) error {
	u := req.user
	if u.Enrolled() {
		return errRedirect("/login/totp")
	}
	c, err := req.r.Cookie(enrolCookie)
	if err != nil {
		return errRedirect("/enrol")
	}
	pending, err := decode(c.Value)
	if err != nil {
		return errRedirect("/enrol")
	}
	secret, err := s.acc.PendingSecret(u, pending)
	if err != nil {
		return errRedirect("/enrol")
	}
	codes, ok, err := s.acc.Enrol(req.r.Context(), u, secret, req.r.PostFormValue("code"))
	if err != nil {
		return err
	}
	if !ok {
		req.secret()
		uri := s.acc.EnrolmentURI(u, secret) // the same key again, scannable
		s.render(req, http.StatusUnauthorized, "enrol", map[string]any{"Error": "totp.refused",
			"Secret": groupSecret(secret), "URI": uri, "QR": qrSVG(uri, i18n.T(req.lang, "enrol.qr"))})
		return nil
	}
	http.SetCookie(req.w, s.cookie(enrolCookie, "", -1))
	if err := s.startSession(req, u, true); err != nil {
		return err
	}
	req.secret() // the recovery codes
	s.render(req, http.StatusOK, "recovery", map[string]any{"Codes": codes})
	return nil
}

// groupSecret writes a base32 secret in groups of four for typing.
func groupSecret(s string) string {
	var parts []string
	for len(s) > 4 {
		parts = append(parts, s[:4])
		s = s[4:]
	}
	return strings.Join(append(parts, s), " ")
}

// logout ends the session. If the store does not delete it (after
// retries), the token would stay valid: the page says so and the browser
// keeps its cookie, so that signing out can be tried again from there.
// The private key the session held is forgotten either way.
func (s *Server) logout(req *request) error {
	s.forget(req.sess.TokenHash)
	if err := s.deleteSession(req, req.sess.TokenHash); err != nil {
		s.logErr("sign-out failed: the session was not ended", err)
		s.render(req, http.StatusServiceUnavailable, "error", map[string]any{"Message": "logout.failed"})
		return nil
	}
	http.SetCookie(req.w, s.cookie(sessionCookie, "", -1))
	req.w.Header().Set("Clear-Site-Data", `"cache", "cookies", "storage"`)
	return errRedirect("/login")
}

// setLang switches the interface language (and saves it for the user),
// or the digits Arabic pages use.
func (s *Server) setLang(req *request) error {
	lang := i18n.Lang(req.r.PostFormValue("lang"))
	if req.r.PostFormValue("lang") == "" {
		lang = i18n.Lang(req.lang) // a digits-only change keeps the language
	}
	http.SetCookie(req.w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 86400,
		HttpOnly: true, Secure: !s.opts.Insecure, SameSite: http.SameSiteStrictMode})
	if req.user != nil && req.sess != nil && req.sess.Verified {
		if err := s.acc.SetLanguage(req.r.Context(), req.user.Username, req.user, lang); err != nil {
			return err
		}
	}
	if d := req.r.PostFormValue("digits"); d == "arab" || d == "latn" {
		http.SetCookie(req.w, &http.Cookie{Name: "digits", Value: d, Path: "/", MaxAge: 365 * 86400,
			HttpOnly: true, Secure: !s.opts.Insecure, SameSite: http.SameSiteStrictMode})
	}
	return errRedirect(s.localBack(req.r.PostFormValue("back")))
}

// localBack is back if it is a clean path of this server that a GET
// route answers, escaped for a Location header; otherwise the home page.
// Browsers read "\" as "/" and drop tabs and newlines, so "/\evil" and
// "/\t/evil" are as off-site as "//evil": such bytes are refused, not
// cleaned, as are queries, fragments and paths that path.Clean changes.
func (s *Server) localBack(back string) string {
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || path.Clean(back) != back ||
		strings.ContainsFunc(back, func(r rune) bool { return r == '\\' || r == '?' || r == '#' || !unicode.IsPrint(r) }) {
		return s.homePath()
	}
	u := &url.URL{Path: back}
	if _, pattern := s.mux.Handler(&http.Request{Method: http.MethodGet, URL: u}); !strings.HasPrefix(pattern, "GET ") {
		return s.homePath()
	}
	return u.EscapedPath()
}
